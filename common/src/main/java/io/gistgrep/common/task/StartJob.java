package io.gistgrep.common.task;

import java.util.UUID;

/** Published by the api's outbox relay once a job is stored. */
public record StartJob(UUID jobId) {

}
