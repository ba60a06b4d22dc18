/**
 * Auto-configuration of Bridge's loop runner, offloader and task executor, bound from the
 * {@code bridge.*} properties.
 */
@NullMarked
package dev.bridge.autoconfigure;

import org.jspecify.annotations.NullMarked;
