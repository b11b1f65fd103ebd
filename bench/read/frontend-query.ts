import { BENCH_ADMIN_TOKEN } from "../support/bench-gateway";
import type { LoadTarget } from "../support/http-load";

/**
 * DESIGN.md's frontend query: the first incidents (default order openedAt DESC) with their
 * assignee, group and 5 latest updates, as a page with cursors.
 */
export const FRONTEND_QUERY = `query Frontend($first: Int) {
  incidents(first: $first) {
    edges {
      cursor
      node {
        number
        shortDescription
        state
        openedAt
        assignedTo { name email }
        assignmentGroup { name }
        updates(first: 5) { element value createdBy sysCreatedOn }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export function frontendRequest(url: string, first: number): LoadTarget {
  return {
    url,
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    body: JSON.stringify({ query: FRONTEND_QUERY, variables: { first } }),
  };
}
