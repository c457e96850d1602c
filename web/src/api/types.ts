/**
 * Payload types for the UI, taken from the server's OpenAPI document
 * (`npm run gen:api` regenerates ./schema.d.ts from `pulse openapi`).
 * Only what the document cannot express (enums it leaves as strings, the customer filters
 * as numbers) is written here, transcribed from the server's rules (docs/API.md).
 */
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type Role = 'admin' | 'user';
export type UserRead = Schemas['UserRead'];
export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
/** `POST /auth/login`: a session, or (two-factor on) the challenge of the second step. */
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

/** A customer: a person, with the figures of their latest response. */
export type Customer = Schemas['CustomerRead'];
export type CustomerInput = Schemas['CustomerCreate'];
export type CustomerUpdate = Schemas['CustomerUpdate'];
export type ImportReport = Schemas['ImportReport'];
export type ImportRowError = Schemas['RowError'];
export type ImportColumn = Schemas['ImportColumn'];
export type ImportPreviewRow = Schemas['PreviewRow'];
/** The Pulse field a CSV column fills (`ImportColumn.field`, `RowError.field`). */
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
/** A member's role in one workspace, lowest first; the document leaves it a string. */
export type WorkspaceRole = 'viewer' | 'member' | 'admin' | 'owner';
/** A workspace's API key, as listed (never the key itself). */
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyCreate = Schemas['ApiKeyCreate'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
/** `write` includes `read`; the document leaves scopes strings. */
export type ApiKeyScope = 'read' | 'write';
/** The document leaves it a string. */
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

/** `{items, page, per_page, total}`: every paged list. */
export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

/** The class of a customer's sentiment score: positive above 0.05, negative below -0.05. */
export type Sentiment = components['schemas']['SentimentClass'];

/** The filters every customers and analytics route accepts (docs/API.md, "Paging and filters"). */
export interface CustomerFilters {
  q?: string;
  from?: string;
  to?: string;
  min_score?: number;
  max_score?: number;
  sentiment?: Sentiment;
}

/** Survey emails (not reminders) sent in the `from`/`to` window, and how many were answered. */
export type ResponseRate = Schemas['ResponseRate'];

/** Where a response came from; the document leaves it a string. */
export type ResponseSource = 'manual' | 'import' | 'survey' | 'form' | 'api';

/** One piece of feedback a customer gave. Not named `Response`: that is the DOM's. */
export type FeedbackResponse = Schemas['ResponseRead'];
export type ResponseCreate = Schemas['ResponseCreate'];
export type ResponseUpdate = Schemas['ResponseUpdate'];

/**
 * `POST /workspaces/{wid}/surveys`: exactly one of `customer_ids` and `filter`. The
 * document types `filter` as a free-form object (its description lists the keys).
 */
export type SurveyCreate = ({ customer_ids: number[]; filter?: never } | { filter: CustomerFilters; customer_ids?: never }) & {
  message?: string;
};

/** The 202 answer of `POST /workspaces/{wid}/surveys`. */
export type SurveyQueued = Schemas['SurveyQueued'];
/** A survey and its progress. `created_by` is null once its author's account is gone. */
export type Survey = Schemas['SurveyRead'];
/** `GET /public/surveys/{token}`. */
export type PublicSurvey = Schemas['SurveyPageRead'];
/** `POST /public/surveys/{token}`. */
export type PublicSurveyAnswer = Schemas['SurveyAnswer'];

/** `GET /public/forms/{slug}`. */
export type PublicForm = Schemas['FormRead'];
/** `POST /public/forms/{slug}`; `website` is the honeypot (must stay empty). */
export type PublicFormAnswer = Schemas['FormAnswerCreate'];

/** The document leaves it a string. */
export type FollowUpStatus = 'open' | 'closed';

/** A low score someone should get back to the customer about. */
export type FollowUp = Schemas['FollowUpRead'];

/** `GET /workspaces/{wid}/follow-ups`; newest first. */
export interface FollowUpListParams {
  status?: FollowUpStatus;
  /** `me`, or a member's user id. */
  assignee?: 'me' | number;
  page?: number;
  per_page?: number;
}

/** `PATCH /workspaces/{wid}/follow-ups/{id}`: any subset. `assignee_id: null` unassigns. */
export type FollowUpUpdate = Omit<Schemas['FollowUpUpdate'], 'status'> & { status?: FollowUpStatus };

/** `GET /workspaces/{wid}/analytics/follow-ups`, over follow-ups opened in `from`/`to`. */
export type FollowUpStats = Schemas['FollowUpStats'];

/** `GET`/`PUT /workspaces/{wid}/notifications/me`. */
export type NotificationSettings = Schemas['NotificationSettings'];

/** `POST /workspaces/{wid}/notifications/digest-preview`: the week so far, not sent. */
export type DigestPreview = Schemas['DigestPreview'];

/** The events a webhook may subscribe to; the document leaves them strings. */
export type WebhookEvent = 'response.created' | 'response.low_score' | 'follow_up.closed' | 'survey.answered';

export type Webhook = Schemas['WebhookRead'];

/** `POST /workspaces/{wid}/webhooks`. */
export type WebhookCreate = Omit<Schemas['WebhookCreate'], 'events'> & { events: WebhookEvent[] };

/** The 201 answer: the webhook plus its signing secret (`whsec_…`), shown only here. */
export type WebhookCreated = Schemas['WebhookCreated'];

/** `PATCH /workspaces/{wid}/webhooks/{id}`: any subset. */
export type WebhookUpdate = Omit<Schemas['WebhookUpdate'], 'events'> & { events?: WebhookEvent[] };

/** `pending`, `delivered` or `failed`; the document leaves it a string. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event sent (or being sent) to a webhook: `GET /workspaces/{wid}/webhooks/{id}/deliveries`. */
export type WebhookDelivery = Schemas['DeliveryRead'];

/** The document leaves it a string. */
export type AuditActorType = 'user' | 'api_key';

/**
 * One entry of a workspace's audit log, newest first. `detail` is free-form JSON (never a
 * secret), which the document's generated type cannot hold.
 */
export type AuditEntry = Omit<Schemas['AuditRead'], 'detail'> & { detail: unknown };

/** `GET /workspaces/{wid}/audit`. */
export type AuditListParams = NonNullable<paths['/api/v1/workspaces/{wid}/audit']['get']['parameters']['query']>;
