package io.ironlb.serving;

import java.util.List;

/** One Service's allocation as a speaker sees it: its addresses and the pool they came from. */
public record Allocated(List<String> ips, String pool) {}
