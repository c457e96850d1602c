/**
 * The routes anyone may call, without an account: the survey answer page
 * (`/r/{token}`), unsubscribing (`/unsubscribe/{token}`) and a workspace's public form
 * (`/f/{slug}`). Each call returns the envelope's `data`.
 */
import { api, data, unwrap } from './client';
import { toApiError } from './errors';
import type { PublicFormAnswer, PublicSurveyAnswer } from './types';

export const publicApi = {
  /** Records nothing (mail scanners open every link): only the POST answers. Unknown or expired → 404. */
  survey: (token: string) => data(api.GET('/api/v1/public/surveys/{token}', { params: { path: { token } } })),
  /**
   * The answer: 201 the first time, 200 when it replaces the answer within the edit window
   * (`replaced`); later → 409 `already_answered`.
   */
  answerSurvey: async (token: string, body: PublicSurveyAnswer) => {
    try {
      const res = await api.POST('/api/v1/public/surveys/{token}', { params: { path: { token } }, body });
      return { answer: unwrap(res), replaced: res.response.status === 200 };
    } catch (err) {
      throw toApiError(err);
    }
  },
  /** Idempotent. Unknown token → 404. */
  unsubscribe: (token: string) => data(api.POST('/api/v1/public/unsubscribe/{token}', { params: { path: { token } } })),
  /** 404 unless the workspace turned its public form on. */
  form: (slug: string) => data(api.GET('/api/v1/public/forms/{slug}', { params: { path: { slug } } })),
  /** 201 `null`; too many from one network → 429. */
  answerForm: (slug: string, body: PublicFormAnswer) =>
    data(api.POST('/api/v1/public/forms/{slug}', { params: { path: { slug } }, body })),
};
