import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { useMe } from '../../auth/session';
import { ChangePasswordForm } from './ChangePasswordForm';
import { DefaultWorkspaceForm } from './DefaultWorkspaceForm';
import { NotificationsSection } from './NotificationsSection';
import { ProfileForm } from './ProfileForm';
import { SessionsPanel } from './SessionsPanel';
import { TwoFactorSection } from './TwoFactorSection';

export function AccountPage() {
  const { data: user } = useMe();
  const { hash } = useLocation();
  // Links like /account#two-factor (from a workspace that requires it) land on their card.
  const ready = Boolean(user);
  useEffect(() => {
    if (!ready || !hash) return;
    const el = document.getElementById(hash.slice(1));
    el?.scrollIntoView?.({ block: 'start' });
  }, [hash, ready]);
  if (!user) return null;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Account</h1>
      </div>
      <div className="grid-2">
        <ProfileForm key={`${user.username}|${user.email}`} user={user} />
        <ChangePasswordForm username={user.username} />
      </div>
      <TwoFactorSection user={user} />
      <DefaultWorkspaceForm user={user} />
      <NotificationsSection user={user} />
      <SessionsPanel />
    </div>
  );
}
