/** Tests of what an operator installs: the rendered {@code deploy/k8s} manifests. */
package io.ironlb.deploy;
