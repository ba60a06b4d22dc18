/**
 * BlockHound integration that makes blocking calls on Bridge's loop threads fail.
 */
@NullMarked
package dev.bridge.autoconfigure.blockhound;

import org.jspecify.annotations.NullMarked;
