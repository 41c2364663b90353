import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useState } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { api, setUnauthorizedHandler, User } from './lib/api';
import { Loading } from './components/common';
import { LoginPage } from './pages/Login';
import { Dashboard } from './pages/Dashboard';
import { ExperimentList } from './pages/ExperimentList';
import InteractivePage from './pages/Interactive';

// The heavier pages (charts) load on first visit, so the first page ships less JavaScript.
const ExperimentDetail = lazy(() => import('./pages/ExperimentDetail'));
const TrialDetail = lazy(() => import('./pages/TrialDetail'));
const ClusterPage = lazy(() => import('./pages/Cluster'));
const TasksPage = lazy(() => import('./pages/Tasks'));
const TaskLogsPage = lazy(() => import('./pages/TaskLogs'));

interface Session { user: User | null; setUser: (u: User | null) => void; logout: () => Promise<void> }
const SessionContext = createContext<Session>({ user: null, setUser: () => {}, logout: async () => {} });
export const useSession = () => useContext(SessionContext);

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler(() => setUser(null));
    api.me().then((r) => setUser(r.user), () => setUser(null));
  }, []);
  const logout = useCallback(async () => {
    try { await api.logout(); } finally { setUser(null); navigate('/login'); }
  }, [navigate]);
  if (user === undefined) return <Loading what="session" />;
  return (
    <SessionContext.Provider value={{ user, setUser, logout }}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* A notebook's or TensorBoard's own page: the whole window, without the app's navigation. */}
        <Route path="/interactive/*" element={user ? <InteractivePage /> : <RedirectToLogin />} />
        <Route path="*" element={user ? <Shell /> : <RedirectToLogin />} />
      </Routes>
    </SessionContext.Provider>
  );
}

function RedirectToLogin() {
  const location = useLocation();
  return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
}

function Shell() {
  const { user, logout } = useSession();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">Determinant</Link>
        <nav>
          <NavLink to="/" end>Dashboard</NavLink>
          <NavLink to="/experiments">Experiments</NavLink>
          <NavLink to="/tasks">Tasks</NavLink>
          <NavLink to="/cluster">Cluster</NavLink>
        </nav>
        <span className="spacer" />
        <span className="user" data-testid="current-user">{user?.username}</span>
        <button onClick={() => void logout()}>Log out</button>
      </header>
      <main>
        <Suspense fallback={<Loading what="page" />}>
          <Routes>
            <Route path="/" element={<Dashboard />} />
            <Route path="/experiments" element={<ExperimentList />} />
            <Route path="/experiments/:id" element={<ExperimentDetail />} />
            <Route path="/trials/:id" element={<TrialDetail />} />
            <Route path="/tasks" element={<TasksPage />} />
            <Route path="/tasks/:id/logs" element={<TaskLogsPage />} />
            <Route path="/cluster" element={<ClusterPage />} />
            <Route path="*" element={<div className="empty">Page not found. <Link to="/">Dashboard</Link></div>} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}
