import { ServiceNowError } from "./servicenow.errors";

/**
 * The instance base URL (`https://acme.service-now.com`, or an on-prem host, possibly under a
 * path). Policy about which hosts are allowed lives with the integrations feature; this only
 * refuses URLs that cannot be a base at all or that carry credentials.
 */
export function normalizeInstanceUrl(instanceUrl: string): URL {
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    throw invalidUrl("The instance URL is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalidUrl("The instance URL must start with https:// (or http:// on a private network)");
  }
  if (url.username !== "" || url.password !== "") {
    // Never echo the URL here: it holds the credentials we refuse.
    throw invalidUrl("The instance URL must not contain credentials; use the auth settings");
  }
  if (url.search !== "" || url.hash !== "") {
    throw invalidUrl("The instance URL must not have a query string or fragment");
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** `path` (starting with `/`) under the instance base, keeping a base path if there is one. */
export function instanceEndpoint(base: URL, path: string): URL {
  if (!path.startsWith("/") || path.startsWith("//") || /[\r\n]/.test(path)) {
    throw invalidUrl("A ServiceNow request path must be relative to the instance and start with /");
  }
  const url = new URL(base.href);
  const queryIndex = path.indexOf("?");
  const pathname = queryIndex === -1 ? path : path.slice(0, queryIndex);
  url.pathname = `${base.pathname.replace(/\/+$/, "")}${pathname}`;
  url.search = queryIndex === -1 ? "" : path.slice(queryIndex);
  return url;
}

function invalidUrl(message: string): ServiceNowError {
  return new ServiceNowError({ code: "BAD_REQUEST", retryable: false, message });
}
