import { useMe } from '../../auth/session';
import { ChangePasswordForm } from './ChangePasswordForm';
import { DefaultWorkspaceForm } from './DefaultWorkspaceForm';
import { ProfileForm } from './ProfileForm';
import { SessionsPanel } from './SessionsPanel';

export function AccountPage() {
  const { data: user } = useMe();
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
      <DefaultWorkspaceForm user={user} />
      <SessionsPanel />
    </div>
  );
}
