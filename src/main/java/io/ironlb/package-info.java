/**
 * The {@code ironlb} command line ({@link io.ironlb.Main}) and its subcommands. Each subcommand
 * only parses arguments and prints; the work happens in the capability packages.
 */
package io.ironlb;
