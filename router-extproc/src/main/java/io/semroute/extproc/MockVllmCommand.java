package io.semroute.extproc;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: replaced by the mock vLLM server (issue 2). */
@Command(name = "mock-vllm", description = "Run an OpenAI-compatible mock vLLM server.")
public final class MockVllmCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("mock-vllm: not implemented yet");
    return 1;
  }
}
