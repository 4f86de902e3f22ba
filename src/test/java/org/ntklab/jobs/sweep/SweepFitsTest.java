package org.ntklab.jobs.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ntklab.jobs.JobStatus;

class SweepFitsTest {

    private static SweepReport.Row row(int index, List<Integer> widths, String phi, long seed, JobStatus status,
            double dk, double h) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("network.hiddenWidths", widths);
        overrides.put("network.outputMap", phi);
        overrides.put("seed", seed);
        int m = widths.stream().mapToInt(Integer::intValue).max().orElseThrow();
        return new SweepReport.Row(index, UUID.randomUUID(), status, overrides, m, seed, dk, h, null, 1.0, 0.1, 1.0,
                0.01, 0.5);
    }

    @Test
    void groupsDifferOnlyInWidthAndSeedAndEachGetsItsSlopes() {
        List<SweepReport.Row> rows = new ArrayList<>();
        int i = 0;
        for (int m : new int[] {100, 1000, 10000}) {
            for (long seed : new long[] {1, 2}) {
                rows.add(row(i++, List.of(m), "linear", seed, JobStatus.SUCCEEDED, 2 / Math.sqrt(m), 3 / Math.sqrt(m)));
                rows.add(row(i++, List.of(m), "swish", seed, JobStatus.SUCCEEDED, 0.2, 0.5));
                rows.add(row(i++, List.of(m, 5, m), "linear", seed, JobStatus.SUCCEEDED, 0.3, 0.4 * Math.pow(m, 0.01)));
            }
        }
        rows.add(row(i, List.of(100000), "linear", 1, JobStatus.FAILED, 0, 0));
        List<SweepReport.Fit> fits = SweepService.fits(rows, null);
        assertThat(fits).hasSize(3);
        SweepReport.Fit linear = fits.get(0);
        assertThat(linear.group()).containsEntry("network.hiddenWidths", "[m]").containsEntry("network.outputMap", "linear");
        assertThat(linear.widths()).containsExactly(100, 1000, 10000);
        assertThat(linear.hessianInit().slope()).isCloseTo(-0.5, within(1e-12));
        assertThat(linear.kernelChange().points()).hasSize(6);
        assertThat(fits.get(1).hessianInit().slope()).isCloseTo(0.0, within(1e-12));
        assertThat(fits.get(2).group()).containsEntry("network.hiddenWidths", "[m, 5, m]");
        assertThat(fits.get(2).hessianInit().slope()).isCloseTo(0.01, within(1e-12));
    }

    /** The distance to the infinite-width kernel gets its own fit; a group without it has none. */
    @Test
    void theInfiniteWidthDistanceIsFittedWhereEveryMemberMeasuredIt() {
        List<SweepReport.Row> rows = new ArrayList<>();
        int i = 0;
        for (int m : new int[] {100, 1000, 10000}) {
            for (String activation : new String[] {"relu", "tanh"}) {
                Map<String, Object> overrides = new LinkedHashMap<>();
                overrides.put("network.hiddenWidths", List.of(m));
                overrides.put("network.activation", activation);
                rows.add(new SweepReport.Row(i++, UUID.randomUUID(), JobStatus.SUCCEEDED, overrides, m, 1, 0.1, null,
                        null, 1.0, 0.1, 1.0, null, 0.5, activation.equals("relu") ? 0.7 * Math.pow(m, -0.5) : null));
            }
        }
        List<SweepReport.Fit> fits = SweepService.fits(rows, null);
        assertThat(fits).hasSize(2);
        assertThat(fits.get(0).group()).containsEntry("network.activation", "relu");
        assertThat(fits.get(0).infiniteWidthDistanceInit().slope()).isCloseTo(-0.5, within(1e-12));
        assertThat(fits.get(0).infiniteWidthDistanceInit().points()).hasSize(3);
        assertThat(fits.get(1).infiniteWidthDistanceInit()).isNull();
    }

    @Test
    void theSweepStateFollowsItsChildren() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        counts.put(JobStatus.QUEUED, 3L);
        assertThat(SweepService.status(counts, 3, false)).isEqualTo(JobStatus.QUEUED);
        counts.put(JobStatus.QUEUED, 2L);
        counts.put(JobStatus.SUCCEEDED, 1L);
        assertThat(SweepService.status(counts, 3, false)).isEqualTo(JobStatus.RUNNING);
        counts.put(JobStatus.QUEUED, 0L);
        counts.put(JobStatus.SUCCEEDED, 3L);
        assertThat(SweepService.status(counts, 3, false)).isEqualTo(JobStatus.SUCCEEDED);
        counts.put(JobStatus.SUCCEEDED, 2L);
        counts.put(JobStatus.FAILED, 1L);
        assertThat(SweepService.status(counts, 3, false)).isEqualTo(JobStatus.FAILED);
        assertThat(SweepService.status(counts, 3, true)).isEqualTo(JobStatus.CANCELLED);
    }
}
