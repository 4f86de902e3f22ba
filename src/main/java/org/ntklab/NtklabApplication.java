package org.ntklab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The ntklab service: experiments on the linearity of wide networks, over HTTP. */
@SpringBootApplication
public class NtklabApplication {

    public static void main(String[] args) {
        SpringApplication.run(NtklabApplication.class, args);
    }
}
