import { Suspense, lazy, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { CognitoAuth } from './auth/cognito';
import type { AppConfig } from './config';
import { HeaderSearch } from './components/HeaderSearch';
import { Logo } from './components/Logo';
import { ThemeToggle } from './components/ThemeToggle';
import { Link, useLocationKey, useRoute, type Route } from './router';
import { ShareIntake } from './uploads/ShareIntake';
import { GlobalDropTarget, UploadButton, UploadTray } from './uploads/UploadTray';
import { Library } from './views/Library';

const ItemView = lazy(() => import('./views/ItemView').then((m) => ({ default: m.ItemView })));
const SearchView = lazy(() => import('./views/SearchView').then((m) => ({ default: m.SearchView })));
const ChatView = lazy(() => import('./views/ChatView').then((m) => ({ default: m.ChatView })));
const SignIn = lazy(() => import('./auth/SignIn').then((m) => ({ default: m.SignIn })));

const noSubscribe = () => () => {};

export function App({ config, auth, authNotice }: { config: AppConfig; auth: CognitoAuth | null; authNotice?: () => string | null }) {
  const user = useSyncExternalStore(auth ? (l) => auth.onChange(l) : noSubscribe, () => {
    const u = auth?.currentUser();
    return u ? u.email || u.sub : null;
  });
  if (auth && !user) {
    return (
      <Suspense fallback={<p className="muted center">Loading…</p>}>
        <SignIn auth={auth} notice={authNotice?.() ?? null} />
      </Suspense>
    );
  }
  return <Shell config={config} auth={auth} user={user} />;
}

function Shell({ config, auth, user }: { config: AppConfig; auth: CognitoAuth | null; user: string | null }) {
  const route = useRoute();
  const locationKey = useLocationKey();
  const [toast, setToast] = useState<string | null>(null);

  // After a navigation, move focus to the new page's heading (screen readers announce it) and
  // scroll to the top; the first render leaves focus where the browser put it.
  const pathname = locationKey.split('?')[0];
  const shownPath = useRef(pathname);
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    window.scrollTo(0, 0);
    // Pages load their data first: wait for a heading that is not a loading placeholder, and
    // never take focus from something the user (or an autofocus field) already focused.
    let tries = 0;
    const timer = setInterval(() => {
      const active = document.activeElement;
      const free = !active || active === document.body || !active.isConnected || active.matches('main h1');
      const heading = document.querySelector<HTMLElement>('main h1');
      const ready = heading && !heading.closest('[aria-busy="true"]');
      if (free && ready && active !== heading) heading.focus({ preventScroll: true });
      if ((ready && document.activeElement === heading) || !free || ++tries > 60) clearInterval(timer);
    }, 50);
    return () => clearInterval(timer);
  }, [pathname]);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(t);
  }, [toast]);

  useEffect(() => {
    document.title = titleOf(route);
  }, [route]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand" aria-label="Collections, home">
            <Logo /> <span className="brand-name">Collections</span>
          </Link>
          <nav aria-label="Main" className="mainnav">
            <Link to="/" aria-current={route.name === 'library' ? 'page' : undefined}>
              Library
            </Link>
            <Link to="/search" className="nav-search" aria-current={route.name === 'search' ? 'page' : undefined}>
              Search
            </Link>
            <Link to="/chat" aria-current={route.name === 'chat' ? 'page' : undefined}>
              Chat
            </Link>
          </nav>
          <HeaderSearch />
          <div className="topbar-actions">
            <ThemeToggle />
            <UploadButton className="button primary compact" />
            {auth && (
              <div className="account">
                <span className="account-email" title={user ?? undefined}>
                  {user}
                </span>
                <button type="button" className="button ghost compact" onClick={() => void auth.signOut()}>
                  Sign out
                </button>
              </div>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ShareIntake />
        <Suspense fallback={<p className="page muted">Loading…</p>}>
          <View route={route} config={config} onDeleted={setToast} />
        </Suspense>
      </main>
      <UploadTray />
      <GlobalDropTarget />
      <div className="toast-region" role="status" aria-live="polite">
        {toast && <div className="toast">{toast}</div>}
      </div>
    </>
  );
}

function View({ route, config, onDeleted }: { route: Route; config: AppConfig; onDeleted: (m: string) => void }) {
  switch (route.name) {
    case 'library':
      return <Library key={route.category ?? ''} category={route.category} />;
    case 'item':
      return <ItemView key={route.id} id={route.id} visionProviders={config.visionProviders} onDeleted={onDeleted} />;
    case 'search':
      return <SearchView q={route.q} type={route.type} answer={route.answer} />;
    case 'chat':
      return <ChatView session={route.session} />;
    default:
      return (
        <div className="page">
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link to="/">Go to your collection</Link>.
          </p>
        </div>
      );
  }
}

function titleOf(route: Route): string {
  switch (route.name) {
    case 'library':
      return route.category ? `${route.category} · Collections` : 'Collections';
    case 'item':
      return 'Item · Collections';
    case 'search':
      return route.q ? `${route.q} · Search · Collections` : 'Search · Collections';
    case 'chat':
      return 'Chat · Collections';
    default:
      return 'Not found · Collections';
  }
}
