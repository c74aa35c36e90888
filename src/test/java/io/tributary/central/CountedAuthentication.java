package io.tributary.central;

import io.tributary.http.BasicAuthentication;
import java.util.concurrent.atomic.AtomicInteger;

/** The central credentials check, counting its calls: a test sees how often one request is checked. */
public class CountedAuthentication extends BasicAuthentication {

    private final AtomicInteger checks = new AtomicInteger();

    @Override
    public void check(String authorization) {
        checks.incrementAndGet();
        super.check(authorization);
    }

    int checks() {
        return checks.get();
    }
}
