/**
 * A node's life: the actors it cannot run without, and what happens when one of them stops ({@link
 * io.ironlb.node.Lifeline}).
 */
package io.ironlb.node;
