// RS256 JWT verification for GitHub App authentication, with node:crypto only.
import { createPublicKey, verify, type KeyObject } from "node:crypto";

export type JwtResult =
  | { ok: true; payload: { iss: unknown; iat: number; exp: number } }
  | { ok: false; message: string };

function b64urlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

export function toPublicKey(key: string | KeyObject): KeyObject {
  if (typeof key !== "string") return key.type === "public" ? key : createPublicKey(key);
  // A private key PEM also yields its public half, which is convenient in tests.
  return createPublicKey(key);
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/**
 * Verify a GitHub App JWT the way GitHub does: RS256 signature against the
 * app's public key, `iss` equal to the app id (number or string), `exp` in the
 * future and at most ten minutes after `iat`, `iat` not in the future.
 * The error messages follow GitHub's wording where it has one.
 */
export function verifyAppJwt(
  token: string,
  publicKey: KeyObject,
  appId: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): JwtResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, message: "A JSON web token could not be decoded" };
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = b64urlJson(h);
    payload = b64urlJson(p);
  } catch {
    return { ok: false, message: "A JSON web token could not be decoded" };
  }
  if (typeof header !== "object" || header === null || (header as { alg?: unknown }).alg !== "RS256") {
    return { ok: false, message: "A JSON web token could not be decoded (alg must be RS256)" };
  }
  const signatureOk = verify(
    "RSA-SHA256",
    Buffer.from(`${h}.${p}`, "utf8"),
    publicKey,
    Buffer.from(s, "base64url"),
  );
  if (!signatureOk) {
    return { ok: false, message: "A JSON web token could not be decoded (signature does not match the app's public key)" };
  }
  if (typeof payload !== "object" || payload === null) {
    return { ok: false, message: "A JSON web token could not be decoded" };
  }
  const { iss, iat, exp } = payload as { iss?: unknown; iat?: unknown; exp?: unknown };
  if ((typeof iss !== "number" && typeof iss !== "string") || String(iss) !== appId) {
    return { ok: false, message: `Integration not found ('iss' claim ${JSON.stringify(iss)} is not app ${appId})` };
  }
  if (typeof iat !== "number" || !Number.isInteger(iat)) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." };
  }
  if (typeof exp !== "number" || !Number.isInteger(exp)) {
    return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires." };
  }
  if (iat > nowSeconds + 60) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing a time in the past." };
  }
  if (exp <= nowSeconds) {
    return { ok: false, message: "'Expiration time' claim ('exp') is in the past: the JWT has expired." };
  }
  if (exp - iat > 600 + 60) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  }
  return { ok: true, payload: { iss, iat, exp } };
}
