package io.tributary.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HiddenUserInfoTest {

    @Test
    void aUrlsPasswordIsShownAsStarsWhereverItIsInTheText() {
        assertThat(HiddenUserInfo.hide("follower bad2 of http://root:s3cret@127.0.0.1:18631 failed"))
                .isEqualTo("follower bad2 of http://root:***@127.0.0.1:18631 failed");
        // a password holding '@' and ':' is hidden whole
        assertThat(HiddenUserInfo.hide("https://u:p@ss:w0rd@host/x and http://a:b@c")).isEqualTo("https://u:***@host/x and http://a:***@c");
        assertThat(HiddenUserInfo.hide("http://root@host:8529 and http://host:8529/a?x=1")).isEqualTo("http://root@host:8529 and http://host:8529/a?x=1");
        assertThat(HiddenUserInfo.hide(null)).isNull();
    }

    @Test
    void aPasswordHoldingPathOrQueryCharactersIsHiddenWhole() {
        for (String password : new String[] {"pa/ss", "p#ss", "p?ss", "p%zz", "a/b@c#d?e"}) {
            String shown = HiddenUserInfo.hide("failed: sftp://u:" + password + "@host:22/x (refused)");
            assertThat(shown).as(password).isEqualTo("failed: sftp://u:***@host:22/x (refused)");
        }
    }
}
