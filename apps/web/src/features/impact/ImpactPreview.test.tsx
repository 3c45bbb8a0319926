import '../../test/setup-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { ImpactFigures, ImpactPreview as Preview } from '@tailor/contract';
import { AppProviders } from '../../app/AppProviders';
import { json } from '../../test/fake-server';
import { ImpactPreview } from './ImpactPreview';

vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const PROJECT = '65f0c0ffee0000000000aaaa';
const AUDIENCE = '65f0c0ffee0000000000bbbb';

function aPreview(overrides: Partial<Preview> = {}): Preview {
  return {
    audienceUid: AUDIENCE,
    sampleSize: 50_000,
    available: 50_000,
    window: { from: '2026-11-22T10:00:00.000Z', to: '2026-11-29T10:00:00.000Z' },
    before: 8000,
    after: 9000,
    joined: 1240,
    left: 240,
    unchanged: 48_520,
    experiences: [
      {
        uid: 'exp1',
        name: 'Homepage hero',
        status: 'ACTIVE',
        versionUid: 'ver1',
        variants: [
          { shortUid: '0', name: 'Hero A' },
          { shortUid: '1', name: 'Hero B' },
        ],
        visitorsChangingVariant: 310,
        transitions: [
          { from: '1', to: '0', visitors: 300 },
          { from: null, to: '0', visitors: 10 },
        ],
      },
    ],
    examples: {
      joined: [
        {
          visitorUid: 'visitor-joined-1',
          lastSeenAt: '2026-11-29T09:00:00.000Z',
          attributes: { age: 30 },
          presets: { COUNTRY: 'US' },
          rules: [{ path: 'definition.rules[0]', attribute: 'age', condition: 'NUMBER_GREATER_THAN', actual: 30, before: false, after: true, reason: 'age is 30: satisfies "age greater than 25"' }],
          variants: [{ experienceUid: 'exp1', experienceName: 'Homepage hero', from: '1', to: '0' }],
        },
      ],
      left: [],
    },
    partial: false,
    elapsedMs: 120,
    ...overrides,
  };
}

const definition = (value: number) => ({
  __type: 'RuleCombination',
  combinationType: 'AND',
  rules: [
    {
      __type: 'Rule',
      attribute: { __type: 'CustomAttributeReference', ref: 'a'.repeat(24) },
      attributeMatchCondition: 'NUMBER_GREATER_THAN',
      attributeMatchOptions: { __type: 'NumberMatchOptions', value },
      invertCondition: false,
    },
  ],
});

interface Call {
  url: string;
  body: unknown;
  headers: Headers;
  signal: AbortSignal | null | undefined;
}

/** A fetch stand-in whose answers the test releases one by one. */
function heldServer() {
  const calls: Call[] = [];
  const pending: Array<(response: Response) => void> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(
      (input: RequestInfo | URL, init: RequestInit = {}) =>
        new Promise<Response>((resolve, reject) => {
          calls.push({ url: String(input), body: JSON.parse(String(init.body)) as unknown, headers: new Headers(init.headers), signal: init.signal });
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          pending.push(resolve);
        }),
    ),
  );
  return { calls, answer: (index: number, response: Response) => pending[index]?.(response) };
}

function renderPreview(value: number | null, onFigures?: (f: ImpactFigures | null, key: string | null) => void) {
  const props = (v: number | null) => ({ projectUid: PROJECT, audienceUid: AUDIENCE, proposal: v === null ? null : { definition: definition(v) }, ...(onFigures ? { onFigures } : {}) });
  const view = render(
    <AppProviders>
      <ImpactPreview {...props(value)} />
    </AppProviders>,
  );
  return {
    ...view,
    update: (v: number | null) =>
      view.rerender(
        <AppProviders>
          <ImpactPreview {...props(v)} />
        </AppProviders>,
      ),
  };
}

describe('ImpactPreview', () => {
  it('shows who joins and leaves, the variant changes per experience, example visitors and the sample', async () => {
    const server = heldServer();
    const figures = vi.fn();
    renderPreview(45, figures);
    await waitFor(() => expect(server.calls).toHaveLength(1));
    expect(server.calls[0]?.url).toBe(`/api/audiences/${AUDIENCE}/impact`);
    expect(server.calls[0]?.headers.get('x-project-uid')).toBe(PROJECT);
    expect(server.calls[0]?.body).toEqual({ definition: definition(45) });
    server.answer(0, json(200, aPreview()));

    expect((await screen.findByTestId('impact-joined')).textContent).toContain('+1,240');
    expect(screen.getByTestId('impact-left').textContent).toContain('−240');
    expect(screen.getByTestId('impact-members').textContent).toContain('8,000 → 9,000');
    const experience = screen.getByTestId('impact-experience');
    expect(experience.textContent).toContain('Homepage hero');
    expect(experience.textContent).toContain('310 change variant');
    const rows = within(screen.getByTestId('impact-transitions')).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['FromToVisitors', 'Hero BHero A300', 'No variantHero A10']);
    const example = screen.getByTestId('impact-example-joined');
    expect(example.textContent).toContain('visitor-joined-1');
    expect(example.textContent).toContain('age is 30: satisfies "age greater than 25"');
    expect(example.textContent).toContain('Homepage hero: Hero B → Hero A');
    expect(screen.getByTestId('impact-sample').textContent).toMatch(/Based on 50,000 recently seen visitors/);
    expect(screen.getByTestId('impact-sample').textContent).toMatch(/cannot know about visitors not seen in the last 30 days/);
    await waitFor(() => expect(figures).toHaveBeenLastCalledWith({ sampleSize: 50_000, joined: 1240, left: 240, visitorsChangingVariant: 310 }, JSON.stringify({ definition: definition(45) })));
  });

  it('follows edits after a pause, cancelling the request of a draft that was edited again', async () => {
    const server = heldServer();
    const figures = vi.fn();
    const view = renderPreview(45, figures);
    await waitFor(() => expect(server.calls).toHaveLength(1));
    server.answer(0, json(200, aPreview()));
    await screen.findByTestId('impact-joined');

    // Two quick edits: only the last one is asked for, after the debounce.
    view.update(50);
    view.update(55);
    await waitFor(() => expect(server.calls).toHaveLength(2));
    expect(server.calls[1]?.body).toEqual({ definition: definition(55) });
    // The old answer stays shown, marked as updating; its figures no longer travel with a save.
    expect(screen.getByTestId('impact-joined').textContent).toContain('+1,240');
    expect(screen.getByTestId('impact-updating')).toBeTruthy();
    expect(figures).toHaveBeenLastCalledWith(null, null);

    view.update(60);
    await waitFor(() => expect(server.calls).toHaveLength(3));
    expect(server.calls[1]?.signal?.aborted).toBe(true);
    server.answer(2, json(200, aPreview({ joined: 7, left: 0 })));
    await waitFor(() => expect(screen.getByTestId('impact-joined').textContent).toContain('+7'));
    await waitFor(() => expect(figures).toHaveBeenLastCalledWith(expect.objectContaining({ joined: 7 }), JSON.stringify({ definition: definition(60) })));
  });

  it('says when no visitor was seen recently', async () => {
    const server = heldServer();
    renderPreview(45);
    await waitFor(() => expect(server.calls).toHaveLength(1));
    server.answer(0, json(200, aPreview({ sampleSize: 0, available: 0, joined: 0, left: 0, before: 0, after: 0, unchanged: 0, experiences: [], window: { from: null, to: null }, message: 'No visitors were seen recently in this project.' })));
    expect((await screen.findByTestId('impact-empty')).textContent).toContain('No visitors were seen recently in this project.');
  });

  it('says so when the sample was cut short', async () => {
    const server = heldServer();
    renderPreview(45);
    await waitFor(() => expect(server.calls).toHaveLength(1));
    server.answer(0, json(200, aPreview({ partial: true, sampleSize: 20_000, message: 'The preview stopped after 2 s: it evaluated the 20,000 most recent of 50,000 recent visitors.' })));
    expect(await screen.findByText(/evaluated the 20,000 most recent of 50,000/)).toBeTruthy();
  });

  it('waits for valid rules and shows a failed preview', async () => {
    const server = heldServer();
    const view = renderPreview(null);
    expect(screen.getByText('Fix the rules to see their impact.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(server.calls).toHaveLength(0);
    view.update(45);
    await waitFor(() => expect(server.calls).toHaveLength(1));
    server.answer(0, json(400, { errors: { 'definition.rules[0].attribute': ['Unknown attribute'] } }));
    expect(await screen.findByText('Could not preview the impact')).toBeTruthy();
  });
});
