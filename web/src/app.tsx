import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Button } from 'react-aria-components';
import { signOut } from './auth/session';
import { useAccountNotice, useSessionStatus, useSessionUser } from './auth/use-session';
import { navigate, useLocation } from './router';
import { NAV, ROLE_LABEL, SCREENS, screenAt, startPath } from './roles';
import { SignIn } from './screens/sign-in';

// Each screen is its own chunk: the sign-in page loads none of them.
const DayBoard = lazy(() => import('./screens/day-board/day-board'));
const CoursePlanner = lazy(() => import('./screens/courses/course-planner'));
const ChairSide = lazy(() => import('./screens/chair-side/chair-side'));
const RemsDesk = lazy(() => import('./screens/rems/rems-desk'));
const ClinicAdmin = lazy(() => import('./screens/admin/clinic-admin'));
const Reports = lazy(() => import('./screens/reports/reports'));
const StaffAdmin = lazy(() => import('./screens/staff/staff-admin'));
const Security = lazy(() => import('./screens/security/security'));

export function App() {
  const user = useSessionUser();
  const status = useSessionStatus();
  const notice = useAccountNotice();
  const { path, query } = useLocation();
  const queryClient = useQueryClient();

  // Nothing of a session outlives it: no cached patient or schedule for the next person at this screen.
  useEffect(() => {
    if (!user) queryClient.clear();
  }, [user, queryClient]);

  useEffect(() => {
    if (status === 'restoring') return;
    if (!user && path !== '/sign-in') navigate('/sign-in', { replace: true });
    else if (user && (path === '/' || path === '/sign-in')) navigate(startPath(user.role) + (query.size ? `?${query}` : ''), { replace: true });
  }, [user, status, path, query]);

  if (status === 'restoring') {
    return (
      <main id="main" className="sign-in" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }
  if (!user) return path === '/sign-in' ? <SignIn /> : null;

  // A session limited to setting up MFA or changing a reset password shows only the security page.
  const screen = user.restriction ? 'security' : screenAt(path);
  const allowed = screen && SCREENS[screen].roles.includes(user.role);
  const clinic = query.get('clinic');
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Clinic console</span>
        <nav aria-label="Screens">
          <ul>
            {NAV[user.role].map((id) => (
              <li key={id}>
                <a
                  href={SCREENS[id].path}
                  aria-current={id === screen ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(SCREENS[id].path + (clinic ? `?clinic=${encodeURIComponent(clinic)}` : ''));
                  }}
                >
                  {SCREENS[id].label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {user.name} · {ROLE_LABEL[user.role]}
        </span>
        <a
          href={SCREENS.security.path}
          className="top-link"
          aria-current={screen === 'security' ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault();
            navigate(SCREENS.security.path);
          }}
        >
          Security
        </a>
        <Button className="btn btn-quiet" onPress={() => signOut('signed-out')}>
          Sign out
        </Button>
      </header>
      {notice && (
        <p className="notice account-notice" role="status">
          {notice}
        </p>
      )}
      <Suspense
        fallback={
          <main id="main" className="screen" aria-busy="true">
            <p>Loading…</p>
          </main>
        }
      >
        {!allowed ? (
          <main id="main" className="screen">
            <h1>Not available</h1>
            <p>This screen is not part of the {ROLE_LABEL[user.role].toLowerCase()} console.</p>
          </main>
        ) : screen === 'day-board' ? (
          <DayBoard />
        ) : screen === 'courses' ? (
          <CoursePlanner />
        ) : screen === 'chair-side' ? (
          <ChairSide />
        ) : screen === 'rems' ? (
          <RemsDesk />
        ) : screen === 'reports' ? (
          <Reports />
        ) : screen === 'staff' ? (
          <StaffAdmin />
        ) : screen === 'security' ? (
          <Security />
        ) : (
          <ClinicAdmin />
        )}
      </Suspense>
    </>
  );
}
