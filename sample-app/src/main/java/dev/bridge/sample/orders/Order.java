/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.orders;

import java.math.BigDecimal;

/**
 * One order, as the legacy database stores it. Immutable.
 *
 * @param id the order number
 * @param customer who placed it
 * @param product what was ordered
 * @param amount the order total
 * @param status {@code NEW}, {@code PAID} or {@code SHIPPED}
 * @since 0.1.0
 */
public record Order(long id, String customer, String product, BigDecimal amount, String status) {

}
