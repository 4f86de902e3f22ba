package org.ntklab.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ntklab.jobs.ActiveJobQuota;

/**
 * Each key's quota of QUEUED and RUNNING experiments, from the configuration: the key's own
 * {@code max-active-jobs}, else its role's ({@code ntklab.security.max-active-jobs.submitter} or
 * {@code .admin}); anonymous callers have the quota of the role they act with. The refusal names
 * the setting that gave the quota, so an operator knows what to change.
 */
public final class KeyQuota implements ActiveJobQuota {

    private final Map<String, Limit> byName = new HashMap<>();
    private final Limit submitter;

    public KeyQuota(SecurityProperties properties) {
        SecurityProperties.MaxActiveJobs roles = properties.maxActiveJobs();
        this.submitter = new Limit(roles.submitter(), "ntklab.security.max-active-jobs.submitter");
        Limit admin = new Limit(roles.admin(), "ntklab.security.max-active-jobs.admin");
        List<SecurityProperties.Key> keys = properties.keys();
        for (int i = 0; i < keys.size(); i++) {
            SecurityProperties.Key k = keys.get(i);
            Limit limit = k.maxActiveJobs() != null
                    ? new Limit(k.maxActiveJobs(), "ntklab.security.keys[" + i + "].max-active-jobs")
                    : k.role() == Role.ADMIN ? admin : submitter;
            byName.put(k.name(), limit);
        }
        properties.anonymous().role().ifPresent(role ->
                byName.put(SecurityProperties.ANONYMOUS, role == Role.ADMIN ? admin : submitter));
    }

    @Override
    public Limit of(String submittedBy) {
        if (submittedBy == null) {
            return Limit.NONE;
        }
        return byName.getOrDefault(submittedBy, submitter);
    }
}
