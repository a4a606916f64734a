/**
 * The configuration model: MetalLB's {@code metallb.io} objects as immutable records with MetalLB's
 * defaults, reading them from YAML ({@link io.ironlb.config.ManifestReader}, {@link
 * io.ironlb.config.ObjectDecoder}), the validation rules of MetalLB's webhooks ({@link
 * io.ironlb.config.ConfigValidator}), and the CRDs generated from the same model ({@link
 * io.ironlb.config.CrdGenerator}), and the cluster as one value ({@link
 * io.ironlb.config.ClusterResources}, with the {@link io.ironlb.config.ObjectSlices slices} of core
 * objects a speaker keeps). Pure: no actors, no I/O beyond reading the files asked for.
 */
package io.ironlb.config;
