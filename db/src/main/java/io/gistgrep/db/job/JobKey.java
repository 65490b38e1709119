package io.gistgrep.db.job;

import java.util.Objects;
import java.util.UUID;

/**
 * A job as a client names it: its id within the caller's tenant. Every query on an api
 * path takes one and repeats the tenant in its SQL, so a job id alone never reaches
 * another tenant's rows. The worker, which acts on jobs by the id in a message, uses the
 * methods that take a bare {@link UUID}; those are marked {@link WorkerOnly}.
 *
 * @param tenant the tenant of the API key that asks
 * @param id the job's id
 */
public record JobKey(String tenant, UUID id) {

	public JobKey {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(id, "id");
	}

	@Override
	public String toString() {
		return this.tenant + "/" + this.id;
	}

}
