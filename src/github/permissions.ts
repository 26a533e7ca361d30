import { LRUCache } from "lru-cache";
import { statusOf, type Octokit } from "./octokit.js";

/** Repository roles from least to most; a custom role counts as the base role GitHub reports for it. */
export const ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** How long a role is believed: a revoked permission stops working within this time (docs/security.md). */
export const PERMISSION_TTL_MS = 60 * 1000;

/**
 * Collaborator roles, read through the permission API and kept briefly.
 * `role_name` names triage and maintain (which `permission` reports as read and
 * write); for a custom role it is the role's own name and `permission` its base.
 */
export class Permissions {
  readonly #roles = new LRUCache<string, Role>({ max: 10_000, ttl: PERMISSION_TTL_MS });

  async role(octokit: Octokit, installationId: number, owner: string, repo: string, username: string): Promise<Role> {
    const key = `${installationId}:${owner}/${repo}:${username}`.toLowerCase();
    let role = this.#roles.get(key);
    if (role === undefined) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
        role = higher(asRole((data as { role_name?: string }).role_name), asRole(data.permission));
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        role = "none";
      }
      this.#roles.set(key, role);
    }
    return role;
  }

  async atLeast(octokit: Octokit, installationId: number, repo: { owner: string; repo: string }, username: string, wanted: Role): Promise<boolean> {
    return atLeast(await this.role(octokit, installationId, repo.owner, repo.repo, username), wanted);
  }

  async canTriage(octokit: Octokit, installationId: number, owner: string, repo: string, username: string): Promise<boolean> {
    return this.atLeast(octokit, installationId, { owner, repo }, username, "triage");
  }
}

export function atLeast(role: Role, wanted: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(wanted);
}

function asRole(value: string | undefined): Role {
  return (ROLES as readonly string[]).includes(value ?? "") ? (value as Role) : "none";
}

function higher(a: Role, b: Role): Role {
  return atLeast(a, b) ? a : b;
}
