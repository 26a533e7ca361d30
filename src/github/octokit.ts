import type { ProbotOctokit } from "probot";

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** The HTTP status of an Octokit error, if it is one. */
export function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

/** A GraphQL error as GitHub reports it in a 200 answer's `errors`. */
export interface GraphqlError {
  type?: string;
  message?: string;
  path?: Array<string | number>;
}

/**
 * The `errors` of a GraphQL answer that came back 200 with errors (Octokit throws those as
 * GraphqlResponseError, which has no HTTP status); null for any other error.
 */
export function graphqlErrorsOf(error: unknown): GraphqlError[] | null {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && statusOf(error) === null ? (errors as GraphqlError[]) : null;
}
