import { NavLink } from 'react-router';
import classes from './TabNav.module.css';

export interface TabNavItem {
  label: string;
  to: string;
  testId?: string;
}

/**
 * Tabs that are real links: each tab has its own URL (shareable, back button works), and
 * NavLink marks the current one with aria-current="page".
 */
export function TabNav({ label, items }: { label: string; items: TabNavItem[] }) {
  return (
    <nav aria-label={label} className={classes.nav}>
      {items.map((item) => (
        <NavLink key={item.to} to={item.to} className={classes.link} data-test-id={item.testId}>
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}
