/** The bar at the top of every page: where you are, what you can do there, and who you are. */
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { Link } from '../router';
import { ThemeToggle } from '../theme/ThemeToggle';

function csrfToken(): string {
  const found = document.cookie.split('; ').find((part) => part.startsWith('csrftoken='));
  return found ? decodeURIComponent(found.slice('csrftoken='.length)) : '';
}

function UserMenu() {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    api.get<Me>('/api/me/').then(setMe, () => setMe(null));
  }, []);
  return (
    <form className="user-menu" method="post" action="/logout/">
      <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
      {me && (
        <span className="username" data-testid="username">
          {me.username}
        </span>
      )}
      <button type="submit" className="link-button">
        Log out
      </button>
    </form>
  );
}

export function AppHeader({ trail, children }: { trail: ReactNode; children?: ReactNode }) {
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        Trellis
      </Link>
      <nav className="trail" aria-label="Breadcrumb">
        {trail}
      </nav>
      <div className="header-actions">{children}</div>
      <ThemeToggle />
      <UserMenu />
    </header>
  );
}
