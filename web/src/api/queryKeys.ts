/**
 * Every query key of the UI, so that a query and what invalidates it cannot drift apart.
 *
 * Keys nest: invalidating a key also invalidates every key that starts with it. Everything
 * of one workspace starts with `['ws', wid]`, so switching never shows another workspace's
 * cached answers and one call can forget a whole workspace.
 */
import type { CustomerFilters, Granularity } from './types';
import type { DateRange } from './followUps';

const ws = (wid: number) => ['ws', wid] as const;
const customers = (wid: number) => [...ws(wid), 'customers'] as const;
const customer = (wid: number, id: number) => [...customers(wid), 'one', id] as const;
const analytics = (wid: number) => [...ws(wid), 'analytics'] as const;
const webhooks = (wid: number) => [...ws(wid), 'webhooks'] as const;

export const queryKeys = {
  /** Who is logged in (`null`: nobody). */
  me: ['me'] as const,
  sessions: ['sessions'] as const,
  users: ['users'] as const,
  userList: (params: { q: string; role: string; page: number }) => ['users', params] as const,
  /** The caller's workspaces. */
  workspaces: ['workspaces'] as const,
  invitationPreview: (token: string) => ['invitation', token] as const,
  publicSurvey: (token: string) => ['public', 'survey', token] as const,
  publicForm: (slug: string) => ['public', 'form', slug] as const,

  /** Every answer of every workspace. */
  allWorkspaceData: ['ws'] as const,
  /** Every answer of one workspace. */
  workspace: ws,
  customers,
  customerList: (wid: number, filters: CustomerFilters, page: number, sort: string) =>
    [...customers(wid), filters, page, sort] as const,
  /** One customer; under `customers`, so a change to the list refreshes it too. */
  customer,
  responsePage: (wid: number, customerId: number, page: number) => [...customer(wid, customerId), 'responses', page] as const,
  surveys: (wid: number) => [...ws(wid), 'surveys'] as const,
  surveyPage: (wid: number, page: number) => [...ws(wid), 'surveys', page] as const,
  followUps: (wid: number) => [...ws(wid), 'follow-ups'] as const,
  followUpPage: (wid: number, view: string, page: number) => [...ws(wid), 'follow-ups', view, page] as const,
  analytics,
  summary: (wid: number, filters: CustomerFilters) => [...analytics(wid), 'summary', filters] as const,
  trends: (wid: number, filters: CustomerFilters, granularity: Granularity) =>
    [...analytics(wid), 'trends', filters, granularity] as const,
  distribution: (wid: number, filters: CustomerFilters) => [...analytics(wid), 'distribution', filters] as const,
  keywords: (wid: number, filters: CustomerFilters) => [...analytics(wid), 'keywords', filters] as const,
  /** Under `analytics`, so whatever refreshes the dashboard refreshes these figures too. */
  followUpStats: (wid: number) => [...analytics(wid), 'follow-ups'] as const,
  followUpStatsIn: (wid: number, range: DateRange) => [...analytics(wid), 'follow-ups', range] as const,
  members: (wid: number) => [...ws(wid), 'members'] as const,
  invitations: (wid: number) => [...ws(wid), 'invitations'] as const,
  apiKeys: (wid: number) => [...ws(wid), 'api-keys'] as const,
  audit: (wid: number, query: object) => [...ws(wid), 'audit', query] as const,
  notifications: (wid: number) => [...ws(wid), 'notifications', 'me'] as const,
  webhooks,
  deliveries: (wid: number, id: number) => [...webhooks(wid), id, 'deliveries'] as const,
  deliveryPage: (wid: number, id: number, page: number) => [...webhooks(wid), id, 'deliveries', page] as const,
};
