/**
 * The routes anyone may call, without an account (API.md §12): the survey answer page
 * (`/r/{token}`), unsubscribing (`/unsubscribe/{token}`) and a workspace's public form
 * (`/f/{slug}`). Each call returns the envelope's `data`.
 */
import { api, unwrap } from './client';
import { data } from './endpoints';
import type { PublicForm, PublicFormAnswer, PublicSurvey, PublicSurveyAnswer } from './types';

const enc = encodeURIComponent;

export const publicApi = {
  /** Records nothing (mail scanners open every link): only the POST answers. Unknown or expired → 404. */
  survey: (token: string) => data<PublicSurvey>(api.get(`/public/surveys/${enc(token)}`)),
  /**
   * The answer: 201 the first time, 200 when it replaces the answer within the edit window
   * (`replaced`); later → 409 `already_answered`.
   */
  answerSurvey: async (token: string, body: PublicSurveyAnswer) => {
    const res = await api.post(`/public/surveys/${enc(token)}`, body);
    return { answer: unwrap<PublicSurveyAnswer>(res.data), replaced: res.status === 200 };
  },
  /** Idempotent. Unknown token → 404. */
  unsubscribe: (token: string) => data<null>(api.post(`/public/unsubscribe/${enc(token)}`)),
  /** 404 unless the workspace turned its public form on. */
  form: (slug: string) => data<PublicForm>(api.get(`/public/forms/${enc(slug)}`)),
  /** 201 `null`; too many from one network → 429. */
  answerForm: (slug: string, body: PublicFormAnswer) => data<null>(api.post(`/public/forms/${enc(slug)}`, body)),
};

/** Query keys of the public pages (no workspace, no account). */
export const publicKeys = {
  survey: (token: string) => ['public', 'survey', token] as const,
  form: (slug: string) => ['public', 'form', slug] as const,
};
