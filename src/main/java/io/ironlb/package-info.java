/**
 * The {@code ironlb} command line ({@link io.ironlb.Main}) and its subcommands. Each subcommand
 * only parses arguments and prints; the work happens in the capability packages. The long-running
 * ones share {@code NodeBoot}: the cluster settings, and the run loop that starts a new actor
 * system when the cluster has downed the node.
 */
package io.ironlb;
