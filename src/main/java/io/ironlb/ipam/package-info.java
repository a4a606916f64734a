/**
 * Address allocation: which addresses each LoadBalancer Service gets, with MetalLB's rules (pools,
 * priorities and selectors, requested addresses and pools, dual-stack, sharing). {@link
 * io.ironlb.ipam.Allocator} is pure decision code over an {@link io.ironlb.ipam.AddressBook}; the
 * allocator actor that owns it as a Cluster Singleton lives beside it, with its output port ({@link
 * io.ironlb.ipam.StatusWriter}: Service status, pool counts, events).
 */
package io.ironlb.ipam;
