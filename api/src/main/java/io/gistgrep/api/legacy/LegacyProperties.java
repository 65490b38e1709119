package io.gistgrep.api.legacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The legacy endpoint ({@code GISTGREP_LEGACY_*}).
 *
 * @param timeout how long {@code POST /api/v1/search} waits for its job before answering
 * 202
 */
@ConfigurationProperties("gistgrep.legacy")
record LegacyProperties(@DefaultValue("30s") Duration timeout) {

}
