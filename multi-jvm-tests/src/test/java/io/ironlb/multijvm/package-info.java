/**
 * Tests that run several {@code ironlb} JVMs from the packaged jar (failsafe, {@code *IT}). Later
 * suites put them in network namespaces with real routers and layer-2 clients.
 */
package io.ironlb.multijvm;
