package org.ntklab.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    static final String KEY = "k".repeat(KeyHash.MIN_KEY_LENGTH);

    static SecurityProperties.Key key(String name, Role role, String key) {
        return new SecurityProperties.Key(name, role, KeyHash.of(key).toString(), null);
    }

    @Test
    void theHashIsTheSha256OfTheKeysUtf8Bytes() {
        // printf %s abc | sha256sum
        assertThat(KeyHash.of("abc").toString())
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(KeyHash.parse("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")
                .matches(KeyHash.of("abc"))).isTrue();
        assertThat(KeyHash.of("abc").matches(KeyHash.of("abd"))).isFalse();
    }

    @Test
    void newKeysAre256RandomBitsAndLongEnough() {
        String a = KeyHash.newKey(new SecureRandom());
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(KeyHash.newKey(new SecureRandom()));
        assertThat(a.length()).isGreaterThanOrEqualTo(KeyHash.MIN_KEY_LENGTH);
    }

    @Test
    void theCommandLinePrintsAKeyAndTheHashThatMatchesIt() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            KeyHash.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        List<String> lines = printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        String key = lines.get(0).substring("key:  ".length());
        String hash = lines.get(1).substring("hash: ".length());
        assertThat(new ApiKeys(List.of(new SecurityProperties.Key("cli", Role.READER, hash, null))).find(key))
                .hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("cli"));
    }

    @Test
    void findsTheKeyWhoseHashMatchesAndNothingElse() {
        ApiKeys keys = new ApiKeys(List.of(key("a", Role.READER, KEY), key("b", Role.ADMIN, KEY + "b")));
        assertThat(keys.find(KEY)).hasValueSatisfying(k -> assertThat(k.role()).isEqualTo(Role.READER));
        assertThat(keys.find(KEY + "b")).hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("b"));
        assertThat(keys.find(KEY + "c")).isEmpty();
        assertThat(keys.find(null)).isEmpty();
    }

    @Test
    void keysShorterThanTheMinimumNeverAuthenticateEvenIfConfigured() {
        String shortKey = "k".repeat(KeyHash.MIN_KEY_LENGTH - 1);
        assertThat(new ApiKeys(List.of(key("s", Role.ADMIN, shortKey))).find(shortKey)).isEmpty();
    }

    @Test
    void badConfigurationIsRefusedAtStartUpNamingTheEntry() {
        assertThatThrownBy(() -> new ApiKeys(List.of(key("a", Role.READER, KEY),
                new SecurityProperties.Key("b", Role.READER, "plain-text-key", null))))
                .hasMessageContaining("ntklab.security.keys[1].hash").hasMessageContaining("sha256:");
        assertThatThrownBy(() -> new ApiKeys(List.of(key("a", Role.READER, KEY), key("a", Role.ADMIN, KEY + "x"))))
                .hasMessageContaining("keys[1].name 'a' is used twice");
        assertThatThrownBy(() -> new ApiKeys(List.of(key("a", Role.READER, KEY), key("b", Role.ADMIN, KEY))))
                .hasMessageContaining("keys[1].hash");
        assertThatThrownBy(() -> new ApiKeys(List.of(key("anonymous", Role.READER, KEY))))
                .hasMessageContaining("may not be 'anonymous'");
        assertThatThrownBy(() -> new ApiKeys(List.of(key("with space", Role.READER, KEY))))
                .hasMessageContaining("keys[0].name");
        assertThatThrownBy(() -> new ApiKeys(List.of(key("r", null, KEY)))).hasMessageContaining("keys[0].role");
    }

    @Test
    void rolesIncludeTheLowerOnes() {
        assertThat(Role.ADMIN.authorities()).extracting(Object::toString)
                .containsExactly("ROLE_READER", "ROLE_SUBMITTER", "ROLE_ADMIN");
        assertThat(Role.READER.authorities()).extracting(Object::toString).containsExactly("ROLE_READER");
        assertThat(Role.SUBMITTER.includes(Role.READER)).isTrue();
        assertThat(Role.SUBMITTER.includes(Role.ADMIN)).isFalse();
    }

    @Test
    void onlyTheOwnerOrAnAdminMayActOnAJob() {
        new Caller("alice", Role.SUBMITTER).requireOwner("alice", "x");
        new Caller("root", Role.ADMIN).requireOwner("alice", "x");
        new Caller("root", Role.ADMIN).requireOwner(null, "x");
        assertThatThrownBy(() -> new Caller("bob", Role.SUBMITTER).requireOwner("alice", "experiment 1"))
                .isInstanceOf(NotOwnerException.class)
                .hasMessage("key 'bob' (submitter) may not act on experiment 1, submitted by 'alice'; "
                        + "only its submitter or an admin may");
        assertThatThrownBy(() -> new Caller("alice", Role.READER).requireOwner("alice", "x"))
                .isInstanceOf(NotOwnerException.class);
        assertThatThrownBy(() -> new Caller("anonymous", Role.SUBMITTER).requireOwner(null, "x"))
                .hasMessageContaining("an anonymous caller (submitter)").hasMessageContaining("unrecorded");
        assertThatThrownBy(() -> new Caller(null, null).requireOwner(null, "x")).isInstanceOf(NotOwnerException.class);
    }
}
