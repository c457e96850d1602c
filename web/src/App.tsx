import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { RedirectIfAuthed, RequireAuth } from './auth/guards';
import { createQueryClient } from './auth/session';
import { Layout } from './components/Layout';
import { AccountPage } from './pages/account/AccountPage';
import { AdminUsersPage } from './pages/admin/AdminUsersPage';
import { CheckEmailPage } from './pages/auth/CheckEmailPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SignupPage } from './pages/auth/SignupPage';
import { VerifyEmailPage } from './pages/auth/VerifyEmailPage';
import { CustomerPage } from './pages/customers/CustomerPage';
import { CustomersPage } from './pages/customers/CustomersPage';
import { ImportPage } from './pages/customers/ImportPage';
import { InvitePage } from './pages/auth/InvitePage';
import { PublicFormPage } from './pages/public/PublicFormPage';
import { SurveyAnswerPage } from './pages/public/SurveyAnswerPage';
import { UnsubscribePage } from './pages/public/UnsubscribePage';
import { SurveysPage } from './pages/surveys/SurveysPage';
import { AuditLogPage } from './pages/audit/AuditLogPage';
import { FollowUpsPage } from './pages/followUps/FollowUpsPage';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';
import { ApiKeysPage } from './pages/workspace/ApiKeysPage';
import { MembersPage } from './pages/workspace/MembersPage';
import { WorkspaceSettingsPage } from './pages/workspace/WorkspaceSettingsPage';
import { Spinner } from './components/Spinner';
import { GoToWorkspace, RequireRole, WorkspaceScope } from './workspace/WorkspaceScope';

// Charts are the heaviest part of the bundle: load them with the dashboard only.
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the dashboard</Link>
      </p>
    </div>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<RedirectIfAuthed><LoginPage /></RedirectIfAuthed>} />
      <Route path="/signup" element={<RedirectIfAuthed><SignupPage /></RedirectIfAuthed>} />
      <Route path="/check-email" element={<CheckEmailPage />} />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/invite" element={<InvitePage />} />
      {/* Pages for customers, from an email or a shared link: no account, no app around them. */}
      <Route path="/r/:token" element={<SurveyAnswerPage />} />
      <Route path="/unsubscribe/:token" element={<UnsubscribePage />} />
      <Route path="/f/:slug" element={<PublicFormPage />} />
      <Route element={<RequireAuth><Layout /></RequireAuth>}>
        {/* Everything of one workspace lives under its slug, so links name the workspace. */}
        <Route path="/w/:slug" element={<WorkspaceScope />}>
          <Route
            index
            element={
              <Suspense fallback={<Spinner label="Loading the dashboard" />}>
                <DashboardPage />
              </Suspense>
            }
          />
          <Route path="customers" element={<CustomersPage />} />
          <Route path="customers/:id" element={<CustomerPage />} />
          <Route path="surveys" element={<SurveysPage />} />
          <Route path="follow-ups" element={<FollowUpsPage />} />
          <Route
            path="customers/import"
            element={<RequireRole min="member" what="importing customers"><ImportPage /></RequireRole>}
          />
          <Route path="members" element={<MembersPage />} />
          <Route
            path="settings"
            element={<RequireRole min="admin" what="changing the settings"><WorkspaceSettingsPage /></RequireRole>}
          />
          <Route
            path="api-keys"
            element={<RequireRole min="admin" what="managing API keys"><ApiKeysPage /></RequireRole>}
          />
          <Route
            path="webhooks"
            element={<RequireRole min="admin" what="managing webhooks"><WebhooksPage /></RequireRole>}
          />
          <Route
            path="audit"
            element={<RequireRole min="admin" what="reading the audit log"><AuditLogPage /></RequireRole>}
          />
          <Route path="*" element={<NotFound />} />
        </Route>
        {/* The first release's paths, and bare ones: the same page of the default workspace. */}
        <Route index element={<GoToWorkspace />} />
        <Route path="/dashboard" element={<GoToWorkspace />} />
        <Route path="/customers" element={<GoToWorkspace sub="customers" />} />
        <Route path="/customers/import" element={<GoToWorkspace sub="customers/import" />} />
        <Route path="/import" element={<GoToWorkspace sub="customers/import" />} />
        <Route path="/surveys" element={<GoToWorkspace sub="surveys" />} />
        <Route path="/members" element={<GoToWorkspace sub="members" />} />
        <Route path="/settings" element={<GoToWorkspace sub="settings" />} />
        <Route path="/api-keys" element={<GoToWorkspace sub="api-keys" />} />
        <Route path="/follow-ups" element={<GoToWorkspace sub="follow-ups" />} />
        <Route path="/webhooks" element={<GoToWorkspace sub="webhooks" />} />
        <Route path="/audit" element={<GoToWorkspace sub="audit" />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/admin/users" element={<RequireAuth admin><AdminUsersPage /></RequireAuth>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
