/**
 * The node's HTTP surface, on the Pekko Management port: the status API ({@code /v1/services},
 * {@code /v1/l2}, {@code /v1/bgp/peers}, {@code POST /v1/drain}) and {@code /metrics}, beside Pekko
 * Management's {@code /ready}, {@code /alive} and {@code /cluster/members}.
 */
package io.ironlb.http;
