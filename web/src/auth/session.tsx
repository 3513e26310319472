import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken, setUnauthenticatedHandler } from '../api/client';
import type { Session, User } from '../api/types';

interface SessionState {
  /** undefined while the first GET /session is in flight */
  user: User | null | undefined;
  /** Set when a request answered 401: the sign-in page explains it. */
  expired: boolean;
  signIn: (username: string, password: string) => Promise<User>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const qc = useQueryClient();

  const accept = useCallback((s: Session) => {
    setCsrfToken(s.csrf_token);
    setUser(s.user);
    setExpired(false);
  }, []);

  useEffect(() => {
    let cancelled = false;
    api<Session>('GET', '/session', { allow401: true })
      .then((s) => { if (!cancelled) accept(s); })
      .catch(() => { if (!cancelled) { setCsrfToken(null); setUser(null); } });
    return () => { cancelled = true; };
  }, [accept]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setUser((u) => {
        if (u) setExpired(true);
        return null;
      });
      qc.clear();
    });
    return () => setUnauthenticatedHandler(null);
  }, [qc]);

  const signIn = useCallback(async (username: string, password: string) => {
    const s = await api<Session>('POST', '/session', { body: { username, password }, allow401: true });
    qc.clear();
    accept(s);
    return s.user;
  }, [accept, qc]);

  const signOut = useCallback(async () => {
    try {
      await api<void>('DELETE', '/session', { allow401: true });
    } catch (e) {
      if (!isApiError(e)) throw e;
    } finally {
      setCsrfToken(null);
      setUser(null);
      setExpired(false);
      qc.clear();
    }
  }, [qc]);

  const value = useMemo(() => ({ user, expired, signIn, signOut }), [user, expired, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The signed-in user; only for use inside the signed-in frame. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
