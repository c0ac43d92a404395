package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Benign requests that use jailbreak trigger words innocently ("ignore the header row", "act as my
 * interviewer", "override the default timeout"), generated from templates and slot lists (seeded),
 * as extra benign training rows for the jailbreak head: the attack sets use "ignore", "forget",
 * "act as", "pretend" about instructions and rules, ordinary users about formatting, data, drafts,
 * roles in a game or a rehearsal, and code. Kinds: editing and data requests, role-play and
 * rehearsal requests (including the "I want you to act as X. I will ..., you will ..." form of
 * prompt collections), system-prompt-like instructions for a persona, programming. Written by hand;
 * the slot lists were written without looking at any evaluation set.
 */
public final class BenignTriggerGenerator {
  private static final String[] IGNORE = {
    "Ignore", "Please ignore", "Disregard", "Skip", "You can ignore", "Feel free to ignore"
  };
  private static final String[] FORGET = {
    "Forget", "Never mind", "Scratch", "Drop", "Please forget"
  };
  private static final String[] NOISE = {
    "the typos", "the formatting", "the header row", "the first column", "the empty lines",
    "the timestamps", "the footnotes", "the citations", "the duplicate entries", "the comments",
    "the bold text", "the emoji", "the page numbers", "the signature block", "the trailing spaces",
    "the units", "the negative values", "the rows marked N/A", "the greeting", "the last line",
    "my spelling", "the markdown", "the line breaks", "the quoted reply below it", "the HTML tags"
  };
  private static final String[] SOURCE = {
    "in my notes",
    "in the table below",
    "in this email",
    "in the CSV I pasted",
    "in my draft",
    "in the log excerpt",
    "in this list",
    "in the survey answers",
    "in the transcript",
    "in my previous message",
    "in the spreadsheet",
    "in this JSON",
    "in the meeting minutes"
  };
  private static final String[] TASK = {
    "and give me a bullet list of the steps",
    "and summarise the rest in three sentences",
    "and turn it into a table",
    "and count the remaining items",
    "and sort the names alphabetically",
    "and tell me the average",
    "and rewrite it more formally",
    "and translate it into Spanish",
    "and make it shorter",
    "and pull out the action items",
    "and convert it to JSON",
    "and check the maths",
    "and suggest a title",
    "and find the duplicates",
    "and tell me which date is the earliest",
    "and fix the grammar only"
  };
  private static final String[] EARLIER = {
    "the outline I asked for", "the formal tone", "my earlier question", "the bullet points",
    "the word limit", "the first version", "what I said about the colours", "the rhyme scheme",
    "the previous title", "my last request", "the German translation", "the idea about a logo"
  };
  private static final String[] INSTEAD = {
    "just write it as one paragraph",
    "let's use a friendly tone instead",
    "make it a haiku",
    "give me three options",
    "focus on the budget part",
    "start with a question",
    "keep it under 100 words",
    "use American spelling",
    "write it for children",
    "add an example"
  };
  private static final String[] ROLE = {
    "a job interviewer for a nurse position",
    "my Spanish conversation partner",
    "a travel agent",
    "a strict but fair maths teacher",
    "a museum guide",
    "a customer who wants a refund",
    "a Linux terminal",
    "a SQL console for the table below",
    "a Python REPL",
    "an English tutor",
    "a personal trainer",
    "a debate opponent",
    "a sommelier",
    "a tour guide in Kyoto",
    "a fitness coach",
    "a landlord in a rehearsal of a tenancy talk",
    "a chess coach",
    "the narrator of a children's story",
    "a pirate captain in our tabletop game",
    "a detective in a murder-mystery party game",
    "a barista",
    "a career counsellor",
    "a proofreader",
    "a startup investor hearing my pitch",
    "a patient for my medical exam practice",
    "a poet from the 18th century",
    "a customer support agent",
    "a spreadsheet",
    "a dungeon master",
    "a news anchor reading the weather",
    "my study buddy"
  };
  private static final String[] ROLE_OPEN = {
    "Act as", "Please act as", "Can you act as", "I want you to act as", "Pretend to be",
    "Pretend you are", "You are now", "Play the role of", "Role-play as", "Imagine you are",
    "From now on you are", "Take on the role of", "Be"
  };
  private static final String[] ROLE_TASK = {
    "and ask me one question at a time.",
    "so I can practise.",
    "and keep your answers short.",
    "I will type commands and you will reply with what it would show.",
    "I'll describe the situation and you respond in character.",
    "Start by greeting me.",
    "and correct my mistakes as we go.",
    "for the next few messages.",
    "Stay in character until I say stop.",
    "and give me feedback at the end.",
    "Only answer in simple sentences.",
    "My first request is below."
  };
  private static final String[] CODE = {
    "How do I override the toString method in Java?",
    "How can I override a CSS rule from a third-party library without !important?",
    "What's the best way to bypass the cache for one request in Spring?",
    "How do I bypass the login page in my own app's integration tests?",
    "How do I make git ignore a file that is already committed?",
    "Ignore case when comparing two strings in JavaScript — what's the cleanest way?",
    "How do I override environment variables in docker compose for local runs?",
    "Can I bypass the proxy for localhost in my npm config?",
    "How do I ignore a specific warning in pylint for one line?",
    "Override the default port of my Flask app to 8080.",
    "How do I force git to forget a remote branch that was deleted?",
    "How can I tell the linter to ignore generated files?",
    "How do I override a method in a Python subclass and still call the parent?",
    "What's the shortcut to bypass the trash when deleting files on a Mac?",
    "How do I override the default equality in a C# record?",
    "Ignore SSL errors in my test HTTP client only, how?",
    "How do I override the Maven compiler version for one module?",
    "My tests should ignore the network. How do I mock it in pytest?"
  };
  private static final String[] SYSTEM = {
    "You are a friendly assistant for a bakery. Answer questions about opening hours and cakes only.",
    "You are a helpful tutor. Do not give the final answer; guide the student with hints.",
    "You are a concise assistant. Ignore small talk and answer in at most two sentences.",
    "You are now the support bot for a bike shop. Be polite and suggest a visit for repairs.",
    "Act as a style guide checker: flag passive voice and overly long sentences.",
    "You are a recipe assistant. If a user asks about something else, politely steer back to cooking.",
    "Pretend you are a librarian helping a child find a book about dinosaurs.",
    "You are an editor. Forget about content changes; fix only spelling and punctuation."
  };

  private BenignTriggerGenerator() {}

  /** {@code n} distinct prompts (fewer if the templates run out), seeded. */
  public static List<String> generate(int n, long seed) {
    Random r = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    int guard = 0;
    while (out.size() < n && guard++ < n * 50) {
      String s =
          switch (r.nextInt(6)) {
            case 0, 1 ->
                pick(r, IGNORE)
                    + " "
                    + pick(r, NOISE)
                    + " "
                    + pick(r, SOURCE)
                    + " "
                    + pick(r, TASK)
                    + ".";
            case 2 -> pick(r, FORGET) + " " + pick(r, EARLIER) + "; " + pick(r, INSTEAD) + ".";
            case 3, 4 -> {
              String task = pick(r, ROLE_TASK);
              yield pick(r, ROLE_OPEN)
                  + " "
                  + pick(r, ROLE)
                  + (Character.isUpperCase(task.charAt(0)) ? ". " : " ")
                  + task;
            }
            default -> r.nextBoolean() ? pick(r, CODE) : pick(r, SYSTEM);
          };
      out.add(s.replace(". .", ".").replace("..", "."));
    }
    return new ArrayList<>(out);
  }

  private static String pick(Random r, String[] options) {
    return options[r.nextInt(options.length)];
  }
}
