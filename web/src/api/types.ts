/**
 * Payload types for the UI, taken from the server's OpenAPI document
 * (`npm run gen:api` regenerates ./schema.d.ts from `pulse openapi`).
 * Only what the document cannot express (query filters, enums it leaves as strings)
 * is written here, transcribed from API.md.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type Role = 'admin' | 'user';
export type UserRead = Schemas['UserRead'];
export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
/** `POST /auth/login`: a session, or (two-factor on) the challenge of the second step (API.md §15). */
export type LoginAnswer = Schemas['LoginAnswer'];
export type MfaChallenge = Schemas['MfaChallenge'];
export type SecondFactorLogin = Schemas['SecondFactorLogin'];
export type TwoFactorSetup = Schemas['TwoFactorSetup'];
export type RecoveryCodes = Schemas['RecoveryCodes'];
export type PasswordAndCode = Schemas['PasswordAndCode'];
export type SignupRequest = Schemas['SignupRequest'];
export type ChangePasswordRequest = Schemas['ChangePasswordRequest'];
export type ResetPasswordRequest = Schemas['ResetPasswordRequest'];
export type UpdateMe = Schemas['UpdateMe'];
export type AdminUpdateUser = Schemas['AdminUpdateUser'];
export type SessionRead = Schemas['SessionRead'];

/** A customer: a person, with the figures of their latest response (API.md §5, §11). */
export type Customer = Schemas['CustomerRead'];
export type CustomerInput = Schemas['CustomerCreate'];
export type CustomerUpdate = Schemas['CustomerUpdate'];
export type ImportReport = Schemas['ImportReport'];
export type ImportRowError = Schemas['RowError'];
export type ImportColumn = Schemas['ImportColumn'];
export type ImportPreviewRow = Schemas['PreviewRow'];
/** The Pulse field a CSV column fills (`ImportColumn.field`, `RowError.field`; API.md §5, §18). */
export type ImportField = 'name' | 'email' | 'satisfaction_score' | 'review' | 'feedback_at';

export type Workspace = Schemas['Workspace'];
export type WorkspaceSettings = Schemas['WorkspaceSettings'];
export type WorkspaceCreate = Schemas['WorkspaceCreate'];
export type WorkspaceUpdate = Schemas['WorkspaceUpdate'];
export type WorkspaceDelete = Schemas['WorkspaceDelete'];
export type Member = Schemas['Member'];
export type MemberUpdate = Schemas['MemberUpdate'];
export type Invitation = Schemas['Invitation'];
export type InvitationCreate = Schemas['InvitationCreate'];
export type InvitationPreview = Schemas['InvitationPreview'];
/** A member's role in one workspace, lowest first (API.md §9); the document leaves it a string. */
export type WorkspaceRole = 'viewer' | 'member' | 'admin' | 'owner';
/** API.md §16. */
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyCreate = Schemas['ApiKeyCreate'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
/** `write` includes `read` (API.md §16); the document leaves scopes strings. */
export type ApiKeyScope = 'read' | 'write';
/** API.md §10. */
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export type Summary = Schemas['Summary'];
/** `Summary.previous_period`: the window of the same length just before `from`. */
export type PeriodSummary = Schemas['PeriodSummary'];
export type Granularity = Schemas['Granularity'];
export type TrendPoint = Schemas['TrendPoint'];
export type Trends = Schemas['Trends'];
export type DistributionBucket = Schemas['Bucket'];
export type Distribution = Schemas['Distribution'];
export type Keyword = Schemas['Term'];
export type Keywords = Schemas['Keywords'];

/** `{items, page, per_page, total}` (API.md §1). */
export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

/** The class of a customer's sentiment score (API.md §5). */
export type Sentiment = 'positive' | 'neutral' | 'negative';

/** The filters every customers and analytics route accepts (API.md §5–§6). */
export interface CustomerFilters {
  q?: string;
  from?: string;
  to?: string;
  min_score?: number;
  max_score?: number;
  sentiment?: Sentiment;
}

/** Survey emails (not reminders) sent in the `from`/`to` window, and how many were answered (API.md §12). */
export type ResponseRate = Schemas['ResponseRate'];

/** Where a response came from (API.md §11). */
export type ResponseSource = 'manual' | 'import' | 'survey' | 'form' | 'api';

/** One piece of feedback a customer gave (API.md §11). Not named `Response`: that is the DOM's. */
export type FeedbackResponse = Omit<Schemas['ResponseRead'], 'source'> & { source: ResponseSource };

/** `POST /customers/{id}/responses`. */
export interface ResponseCreate {
  satisfaction_score: number;
  review?: string;
  feedback_at?: string;
}

/** `PATCH /responses/{id}`: any subset. */
export type ResponseUpdate = Partial<ResponseCreate>;

/** `POST /workspaces/{wid}/surveys`: exactly one of `customer_ids` and `filter`. */
export type SurveyCreate = ({ customer_ids: number[]; filter?: never } | { filter: CustomerFilters; customer_ids?: never }) & {
  /** At most 1,000 characters. */
  message?: string;
};

/** The 202 answer of `POST /workspaces/{wid}/surveys`. */
export type SurveyQueued = Schemas['SurveyQueued'];
/** A survey and its progress (API.md §12). `created_by` is null once its author's account is gone. */
export type Survey = Schemas['SurveyRead'];
/** `GET /public/surveys/{token}`. */
export type PublicSurvey = Schemas['SurveyPageRead'];

/** `POST /public/surveys/{token}`. */
export interface PublicSurveyAnswer {
  satisfaction_score: number;
  review?: string;
}

/** `GET /public/forms/{slug}`. */
export type PublicForm = Schemas['FormRead'];

/** `POST /public/forms/{slug}`; `website` is the honeypot (must stay empty). */
export interface PublicFormAnswer {
  name: string;
  email: string;
  satisfaction_score: number;
  review?: string;
  website?: string;
}

// ---------------------------------------------------------------------------------------
// HAND-WRITTEN until ./schema.d.ts is regenerated with these routes: follow-ups (API.md
// §13), notifications and webhooks (§14), the audit log (§17). Transcribed from API.md;
// switch them to `Schemas[...]` aliases once the server's OpenAPI document has them.
// ---------------------------------------------------------------------------------------

/** API.md §13. */
export type FollowUpStatus = 'open' | 'closed';

/** A low score someone should get back to the customer about (API.md §13). */
export interface FollowUp {
  id: number;
  response_id: number;
  customer: { id: number; name: string; email: string };
  satisfaction_score: number;
  review: string;
  status: FollowUpStatus;
  assignee: { id: number; username: string } | null;
  /** Up to 2,000 characters; may be empty (null tolerated). */
  note: string | null;
  created_at: string;
  closed_at: string | null;
  /** The same customer later gave a response (by `feedback_at`) scoring 4 or 5. */
  recovered: boolean;
}

/** `GET /workspaces/{wid}/follow-ups`; newest first. */
export interface FollowUpListParams {
  status?: FollowUpStatus;
  /** `me`, or a member's user id. */
  assignee?: 'me' | number;
  page?: number;
  per_page?: number;
}

/** `PATCH /workspaces/{wid}/follow-ups/{id}`: any subset. `assignee_id: null` unassigns. */
export interface FollowUpUpdate {
  status?: FollowUpStatus;
  assignee_id?: number | null;
  /** At most 2,000 characters. */
  note?: string;
}

/** `GET /workspaces/{wid}/analytics/follow-ups`, over follow-ups opened in `from`/`to`. */
export type FollowUpStats = Schemas['FollowUpStats'];

/** `GET`/`PUT /workspaces/{wid}/notifications/me` (API.md §14). */
export type NotificationSettings = Schemas['NotificationSettings'];

/** `POST /workspaces/{wid}/notifications/digest-preview`: the week so far, not sent. */
export type DigestPreview = Schemas['DigestPreview'];

/** The events a webhook may subscribe to (API.md §14). */
export type WebhookEvent = 'response.created' | 'response.low_score' | 'follow_up.closed' | 'survey.answered';

export type Webhook = Schemas['WebhookRead'];

/** `POST /workspaces/{wid}/webhooks`. */
export interface WebhookCreate {
  url: string;
  events: WebhookEvent[];
}

/** The 201 answer: the webhook plus its signing secret (`whsec_…`), shown only here. */
export type WebhookCreated = Webhook & { secret: string };

/** `PATCH /workspaces/{wid}/webhooks/{id}`: any subset. */
export interface WebhookUpdate {
  url?: string;
  events?: WebhookEvent[];
  active?: boolean;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event sent (or being sent) to a webhook: `GET /workspaces/{wid}/webhooks/{id}/deliveries`. */
export interface WebhookDelivery {
  id: number;
  /** A `WebhookEvent`, or `ping` for a test. */
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  next_attempt_at: string | null;
}

/** API.md §17. */
export type AuditActorType = 'user' | 'api_key';

/** One entry of a workspace's audit log, newest first. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: { type: AuditActorType; id: number | null; name: string | null };
  action: string;
  target: { type: string | null; id: number | null; name: string | null };
  ip: string | null;
  /** Free-form JSON; never a secret. */
  detail: unknown;
}

/** `GET /workspaces/{wid}/audit`. */
export interface AuditListParams {
  action?: string;
  actor_id?: number;
  from?: string;
  to?: string;
  page?: number;
  per_page?: number;
}
// ---- end of the hand-written section --------------------------------------------------
