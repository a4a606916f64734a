/**
 * What several test suites share to talk to the product from outside: certificates made with
 * openssl (as cert-manager would make them) and the API server's side of the validating webhook.
 */
package io.ironlb.testkit;
