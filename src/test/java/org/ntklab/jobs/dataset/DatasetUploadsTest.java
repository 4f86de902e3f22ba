package org.ntklab.jobs.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntklab.core.data.DataArrays;

/** Uploads to arrays: the NumPy-written fixtures of src/test/resources/datasets and every refusal. */
class DatasetUploadsTest {

    private static final DatasetUploads UPLOADS = new DatasetUploads(new DatasetLimits(1 << 20, 1000, 20));

    static byte[] fixture(String name) {
        try (InputStream in = DatasetUploadsTest.class.getResourceAsStream("/datasets/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void npzCsvAndOtherDtypesGiveTheSameCanonicalContent() {
        DataArrays npz = UPLOADS.fromNpz(fixture("xy.npz"));
        assertThat(npz.n()).isEqualTo(12);
        assertThat(npz.d()).isEqualTo(3);
        assertThat(npz.c()).isEqualTo(2);
        // X = arange(36).reshape(12, 3) * 0.25 - 4 with column 2 set to 7.5; Y[:, 0] = 0.5 i, Y[:, 1] = i % 3 - 1
        assertThat(npz.x()[4]).isEqualTo(4 * 0.25 - 4.0);
        assertThat(npz.x()[5]).isEqualTo(7.5);
        assertThat(npz.y()[2 * 5]).isEqualTo(2.5);
        assertThat(npz.y()[2 * 5 + 1]).isEqualTo(1.0);
        DataArrays csv = UPLOADS.fromCsv(fixture("xy.csv"), List.of("t1", "t2"));
        DataArrays other = UPLOADS.fromNpz(fixture("xy_f4_be_fortran.npz"));
        assertThat(csv).isEqualTo(npz);
        assertThat(other).isEqualTo(npz);
        assertThat(CanonicalNpz.sha256(CanonicalNpz.bytes(csv))).isEqualTo(CanonicalNpz.sha256(CanonicalNpz.bytes(npz)));
        assertThat(CanonicalNpz.read(CanonicalNpz.bytes(npz))).isEqualTo(npz);
    }

    @Test
    void csvTargetsAreTakenInTheOrderGivenAndTheRestAreFeatures() {
        DataArrays d = UPLOADS.fromCsv(bytes("\uFEFFy,a,\"b\"\n1,2,3\n\n4,5e-1,-6\n"), List.of("y"));
        assertThat(d.x()).containsExactly(2, 3, 0.5, -6);
        assertThat(d.y()).containsExactly(1, 4);
        DataArrays swapped = UPLOADS.fromCsv(bytes("a,b,c\n1,2,3\n"), List.of("c", "a"));
        assertThat(swapped.y()).containsExactly(3, 1);
        assertThat(swapped.x()).containsExactly(2);
    }

    @Test
    void refusedNpzUploadsNameTheirProblem() {
        assertInvalid(fixture("nan.npz"), "X[3][1] is NaN");
        assertInvalid(fixture("inf.npz"), "X[5][0] is Infinity");
        assertInvalid(fixture("missing_y.npz"), "Y is missing");
        assertInvalid(fixture("row_mismatch.npz"), "X has 12 rows but Y has 10");
        assertInvalid(fixture("complex.npz"), "entry 'X.npy'");
        assertInvalid(fixture("uint8.npz"), "X.npy");
        assertInvalid(fixture("vector_x.npz"), "X must be a matrix");
        assertInvalid(fixture("truncated.npz"), "not a valid .npz");
        assertInvalid(bytes("a,b\n1,2\n"), "not a valid .npz");
    }

    @Test
    void refusedCsvUploadsNameTheirProblem() {
        assertCsvInvalid("a,b\n1,2\n3\n", List.of("b"), "line 3 has 1 cells but the header has 2");
        assertCsvInvalid("a,b\n1,x\n", List.of("b"), "line 2, column 'b': 'x' is not a number");
        assertCsvInvalid("a,b\n1,NaN\n", List.of("b"), "NaN is not finite");
        assertCsvInvalid("a,b\n-inf,1\n", List.of("b"), "-inf is not finite");
        assertCsvInvalid("a,b\n1e999,1\n", List.of("b"), "overflows");
        assertCsvInvalid("a,b\n1,2\n", List.of(), "targets=");
        assertCsvInvalid("a,b\n1,2\n", List.of("z"), "target column 'z' is not in the CSV header");
        assertCsvInvalid("a,b\n1,2\n", List.of("a", "b"), "at least one feature column");
        assertCsvInvalid("a,a\n1,2\n", List.of("a"), "repeats the column 'a'");
        assertCsvInvalid("a,b\n", List.of("b"), "no data rows");
        assertCsvInvalid("", List.of("b"), "empty");
    }

    @Test
    void limitsOnBytesRowsAndColumnsAreTooLarge() throws IOException {
        DatasetUploads small = new DatasetUploads(new DatasetLimits(100, 2, 3));
        assertThatThrownBy(() -> small.readLimited(new ByteArrayInputStream(new byte[101])))
                .isInstanceOf(DatasetException.TooLarge.class).hasMessageContaining("max-bytes");
        assertThat(small.readLimited(new ByteArrayInputStream(new byte[100]))).hasSize(100);
        assertThatThrownBy(() -> small.fromCsv(bytes("a,b\n1,2\n3,4\n5,6\n"), List.of("b")))
                .isInstanceOf(DatasetException.TooLarge.class).hasMessageContaining("max-rows");
        assertThatThrownBy(() -> small.fromCsv(bytes("a,b,c,d\n1,2,3,4\n"), List.of("b")))
                .isInstanceOf(DatasetException.TooLarge.class).hasMessageContaining("max-columns");
        assertThatThrownBy(() -> small.fromNpz(fixture("xy.npz")))
                .isInstanceOf(DatasetException.TooLarge.class).hasMessageContaining("max-bytes");
        DatasetUploads fewRows = new DatasetUploads(new DatasetLimits(1 << 20, 11, 20));
        assertThatThrownBy(() -> fewRows.fromNpz(fixture("xy.npz")))
                .isInstanceOf(DatasetException.TooLarge.class).hasMessageContaining("max-rows");
    }

    private static void assertInvalid(byte[] npz, String message) {
        assertThatThrownBy(() -> UPLOADS.fromNpz(npz)).isInstanceOf(DatasetException.Invalid.class)
                .hasMessageContaining(message);
    }

    private static void assertCsvInvalid(String csv, List<String> targets, String message) {
        assertThatThrownBy(() -> UPLOADS.fromCsv(bytes(csv), targets)).isInstanceOf(DatasetException.Invalid.class)
                .hasMessageContaining(message);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
