import '../../test/setup-dom';
import { MantineProvider } from '@mantine/core';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { theme } from '../../app/theme';
import { AnnotationList } from './AnnotationList';
import { abSummaryFixture, timeSeriesFixture, waitingSummaryFixture } from './analytics-fixtures.test-data';
import { markers } from './analytics-view';
import { SummaryCards } from './SummaryCards';

afterEach(cleanup);

const wrap = (node: React.ReactNode) => render(<MantineProvider theme={theme}>{node}</MantineProvider>);

describe('SummaryCards', () => {
  it('shows the winner, P2BB, lift with its interval and the SRM warning', () => {
    wrap(<SummaryCards summary={abSummaryFixture} />);
    expect(screen.getByTestId('analytics-headline').textContent).toContain('Bold hero is the winner');
    const bold = screen.getByLabelText('Variant Bold hero');
    expect(within(bold).getByText('Winner')).toBeTruthy();
    expect(within(bold).getByTestId('p2bb').textContent).toContain('100.0%');
    expect(within(bold).getByText('+50.0%')).toBeTruthy();
    expect(within(bold).getByText('95% CI +18.0% to +90.0%')).toBeTruthy();
    expect(within(screen.getByLabelText('Variant Control hero')).getByText('Control')).toBeTruthy();
    expect(screen.getByTestId('srm-warning').textContent).toContain('Visitors were split 55.0% / 45.0%, but the test is configured for 50.0% / 50.0%');
  });

  it('says "not enough data yet" with the reason, and no SRM warning when the split is fine', () => {
    wrap(<SummaryCards summary={waitingSummaryFixture} />);
    expect(screen.getByTestId('analytics-headline').textContent).toContain('No winner yet: not enough data yet');
    expect(screen.getByTestId('analytics-headline').textContent).toContain('1,000 impressions or 30 conversions');
    expect(screen.getAllByTestId('p2bb').map((e) => e.textContent)).toEqual(['not enough data yet', 'not enough data yet']);
    expect(screen.queryByTestId('srm-warning')).toBeNull();
  });

  it('shows impressions only for a segmented experience', () => {
    wrap(<SummaryCards summary={{ ...abSummaryFixture, type: 'SEGMENTED', srm: null, winner: null }} />);
    expect(screen.queryByTestId('analytics-headline')).toBeNull();
    expect(screen.queryByTestId('p2bb')).toBeNull();
    expect(screen.getAllByText('Impressions')).toHaveLength(2);
  });
});

describe('AnnotationList', () => {
  it('lists each audience edit with who, when and what changed', () => {
    wrap(<AnnotationList markerList={markers(timeSeriesFixture.annotations)} />);
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toContain('US visitors updated (revision 2) by Bo Chen');
    expect(items[0]?.textContent).toContain('Country is "US" → "CA"');
  });
});
