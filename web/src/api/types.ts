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
