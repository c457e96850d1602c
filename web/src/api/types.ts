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
