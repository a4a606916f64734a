/**
 * The node's HTTP surface, on the Pekko Management port: the status API ({@code /v1/services})
 * beside Pekko Management's {@code /ready}, {@code /alive} and {@code /cluster/members}; metrics
 * join with the observability work.
 */
package io.ironlb.http;
