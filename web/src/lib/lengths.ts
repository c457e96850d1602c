/**
 * The longest text each form field takes, as the server's OpenAPI document states it
 * (../api/limits.ts is generated from it), so a form and the server cannot disagree.
 */
import { limits } from '../api/limits';

export const CUSTOMER_NAME_MAX = limits.CustomerCreate.name.maxLength;
export const REVIEW_MAX = limits.CustomerCreate.review.maxLength;
export const WORKSPACE_NAME_MAX = limits.WorkspaceCreate.name.maxLength;
export const SLUG_MAX = limits.WorkspaceUpdate.slug.maxLength;
export const API_KEY_NAME_MAX = limits.ApiKeyCreate.name.maxLength;
export const SURVEY_MESSAGE_MAX = limits.SurveyCreate.message.maxLength;
export const NOTE_MAX = limits.FollowUpUpdate.note.maxLength;
