/**
 * Payload types for the UI. Auth and users come from the generated OpenAPI schema
 * (`npm run gen:api`); customers and analytics are written by hand in ./contract.ts
 * from API.md §5–§6 until the server publishes them in /api/openapi.json.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type Role = 'admin' | 'user';
export type UserRead = Omit<Schemas['UserRead'], 'role'> & { role: Role | string };
export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
export type SignupRequest = Schemas['SignupRequest'];
export type ChangePasswordRequest = Schemas['ChangePasswordRequest'];
export type ResetPasswordRequest = Schemas['ResetPasswordRequest'];
export type UpdateMe = Schemas['UpdateMe'];
export type AdminUpdateUser = Schemas['AdminUpdateUser'];
export type SessionRead = Schemas['SessionRead'];

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

export type { Customer, CustomerInput, CustomerFilters, ImportReport, ImportRowError, Sentiment } from './contract';
export type { Summary, TrendPoint, Trends, Granularity, DistributionBucket, Distribution, Keyword, Keywords } from './contract';
