package io.semroute.tools.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The task-type data set: what a prompt asks for, in eight kinds, assembled from the shared data
 * folder plus prompts generated from hand-written templates (this project's) where no labelled
 * public set exists. Seeded; split 70/15/15 per label into {@code task_type_train/dev/test.jsonl}.
 * MT-Bench's human-written prompts are kept out of every split and written alone to {@code
 * task_type_mtbench_eval.jsonl} (6 of its 8 kinds map to ours), an out-of-distribution check for
 * the template-heavy labels.
 *
 * <ul>
 *   <li>{@code knowledge}: MMLU-Pro train questions, MMLU questions (factual / multiple-choice
 *       knowledge);
 *   <li>{@code maths}: GSM8K, MATH-500;
 *   <li>{@code code}: HumanEval + MBPP, plus templated requests;
 *   <li>{@code reasoning_puzzle}: LLMRouter's logic-grid puzzles ("Clue(s)"), plus templated
 *       puzzles;
 *   <li>{@code writing}: templated creative and professional writing requests;
 *   <li>{@code chit_chat}: CLINC150's small_talk domain;
 *   <li>{@code translation}: CLINC150's {@code translate} intent, plus "translate X into L" with
 *       CLINC150 utterances as X;
 *   <li>{@code extraction}: extraction / reading requests over GSM8K problem texts used as
 *       passages.
 * </ul>
 */
public final class TaskTypeData {
  public static final List<String> LABELS =
      List.of(
          "knowledge",
          "maths",
          "code",
          "reasoning_puzzle",
          "writing",
          "chit_chat",
          "translation",
          "extraction");

  private final Path dataDir;
  private final Random random;

  public TaskTypeData(Path dataDir, long seed) {
    this.dataDir = dataDir;
    this.random = new Random(seed);
  }

  /** Writes the splits; returns row counts per file. */
  public Map<String, Integer> write(Path out) {
    List<LabeledText> rows = new ArrayList<>();
    List<JsonNode> clinc = Jsonl.read(dataDir.resolve("prompts/clinc150.jsonl"));
    List<JsonNode> gsm = Jsonl.read(dataDir.resolve("prompts/gsm8k.jsonl"));
    rows.addAll(
        sample(texts(Jsonl.read(dataDir.resolve("category/train.jsonl"))), 450, "knowledge"));
    rows.addAll(
        sample(
            texts(Jsonl.read(dataDir.resolve("category-extra/mmlu_57_subjects.jsonl"))),
            250,
            "knowledge"));
    rows.addAll(sample(texts(gsm), 450, "maths"));
    rows.addAll(sample(texts(Jsonl.read(dataDir.resolve("prompts/math500.jsonl"))), 250, "maths"));
    rows.addAll(
        sample(
            texts(Jsonl.read(dataDir.resolve("prompts/code_humaneval_mbpp.jsonl"))), 421, "code"));
    rows.addAll(sample(CODE.generate(random, 250), 250, "code"));
    List<String> puzzles = new ArrayList<>();
    for (JsonNode r : Jsonl.read(dataDir.resolve("routing/llmrouter_train.jsonl"))) {
      if (r.path("prompt").asText().contains("Clue(s)")) {
        puzzles.add(r.path("prompt").asText());
      }
    }
    rows.addAll(sample(puzzles, 150, "reasoning_puzzle"));
    rows.addAll(sample(PUZZLE.generate(random, 500), 500, "reasoning_puzzle"));
    rows.addAll(sample(WRITING.generate(random, 700), 700, "writing"));
    List<String> smallTalk = new ArrayList<>();
    List<String> translate = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (JsonNode r : clinc) {
      String d = r.path("domain").asText();
      String l = r.path("label").asText();
      if (l.equals("translate")) {
        translate.add(r.path("text").asText());
      } else if (d.equals("small_talk")) {
        smallTalk.add(r.path("text").asText());
      } else if (!d.equals("oos")) {
        other.add(r.path("text").asText());
      }
    }
    rows.addAll(sample(smallTalk, 700, "chit_chat"));
    rows.addAll(sample(translate, 150, "translation"));
    List<String> translations = new ArrayList<>();
    for (int i = 0; i < 550; i++) {
      translations.add(
          TRANSLATE.fill(random, Map.of("S", other.get(random.nextInt(other.size())))));
    }
    rows.addAll(sample(translations, 550, "translation"));
    List<String> extraction = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      String passage = gsm.get(random.nextInt(gsm.size())).path("text").asText();
      extraction.add(EXTRACT.fill(random, Map.of("P", passage)));
    }
    rows.addAll(sample(extraction, 700, "extraction"));

    List<List<LabeledText>> parts =
        SeededSplit.split(rows, LabeledText::label, random.nextLong(), 0.7, 0.15, 0.15);
    Map<String, Integer> counts = new LinkedHashMap<>();
    String[] names = {"task_type_train.jsonl", "task_type_dev.jsonl", "task_type_test.jsonl"};
    for (int i = 0; i < 3; i++) {
      Jsonl.write(out.resolve(names[i]), parts.get(i));
      counts.put(names[i], parts.get(i).size());
    }
    Map<String, String> mtBench =
        Map.of(
            "writing",
            "writing",
            "roleplay",
            "writing",
            "reasoning",
            "reasoning_puzzle",
            "math",
            "maths",
            "coding",
            "code",
            "extraction",
            "extraction");
    List<LabeledText> mt = new ArrayList<>();
    for (JsonNode r : Jsonl.read(dataDir.resolve("prompts/mt_bench.jsonl"))) {
      String l = mtBench.get(r.path("label").asText());
      if (l != null) {
        mt.add(new LabeledText(r.path("text").asText(), l));
      }
    }
    Jsonl.write(out.resolve("task_type_mtbench_eval.jsonl"), mt);
    counts.put("task_type_mtbench_eval.jsonl", mt.size());
    return counts;
  }

  private static List<String> texts(List<JsonNode> rows) {
    return rows.stream().map(r -> r.path("text").asText()).filter(t -> !t.isBlank()).toList();
  }

  private List<LabeledText> sample(List<String> texts, int n, String label) {
    List<String> s = new ArrayList<>(new LinkedHashSet<>(texts));
    Collections.shuffle(s, random);
    return s.subList(0, Math.min(n, s.size())).stream()
        .map(t -> new LabeledText(t, label))
        .toList();
  }

  /** Hand-written templates: {X} slots filled from word lists (seeded). */
  record Templates(List<String> templates, Map<String, List<String>> slots) {
    String fill(Random r, Map<String, String> fixed) {
      String t = templates.get(r.nextInt(templates.size()));
      for (Map.Entry<String, String> e : new TreeMap<>(fixed).entrySet()) {
        t = t.replace("{" + e.getKey() + "}", e.getValue());
      }
      for (Map.Entry<String, List<String>> e : new TreeMap<>(slots).entrySet()) {
        // one value per slot and fill, so "{P1} ... {P1}" names the same person twice
        t = t.replace("{" + e.getKey() + "}", e.getValue().get(r.nextInt(e.getValue().size())));
      }
      while (t.contains("{N}")) {
        t = t.replaceFirst("\\{N}", Integer.toString(2 + r.nextInt(40)));
      }
      return t;
    }

    List<String> generate(Random r, int n) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n * 3 && out.size() < n; i++) {
        String s = fill(r, Map.of());
        if (!out.contains(s)) {
          out.add(s);
        }
      }
      return out;
    }
  }

  private static final List<String> TOPICS =
      List.of(
          "the ocean at night",
          "a lost umbrella",
          "moving to a new city",
          "the first day of school",
          "a robot learning to paint",
          "autumn in the mountains",
          "our new coffee machine",
          "remote work",
          "a small bakery",
          "climate change",
          "friendship",
          "a dragon who is afraid of heights",
          "the history of bicycles",
          "a rainy Sunday",
          "a job interview",
          "electric cars",
          "a grandmother's garden",
          "learning to play the guitar",
          "a trip to Lisbon",
          "time travel",
          "a haunted lighthouse",
          "urban beekeeping",
          "the importance of sleep",
          "our company's tenth anniversary",
          "a cat who runs a hotel",
          "space exploration",
          "a local football team",
          "healthy breakfast habits",
          "a detective in Victorian London",
          "recycling");

  static final Templates WRITING =
      new Templates(
          List.of(
              "Write a poem about {T}.",
              "Write a short story about {T}.",
              "Compose a haiku about {T}.",
              "Write a blog post about {T}, around {N}00 words.",
              "Draft a persuasive essay on {T}.",
              "Write a limerick about {T}.",
              "Write a product description for {T}.",
              "Write a wedding toast that mentions {T}.",
              "Can you write me a song about {T}?",
              "Write the opening paragraph of a novel about {T}.",
              "Draft a cover letter for a marketing position; mention my interest in {T}.",
              "Write a speech for a school assembly about {T}.",
              "Write a {S} about {T} in the style of {A}.",
              "Pretend you are {A} and write a letter about {T}.",
              "Write a funny tweet about {T}.",
              "Write a catchy slogan and a short ad text for {T}.",
              "Help me write a heartfelt birthday message for my {R}.",
              "Write an email to my {R} explaining {T}.",
              "Rewrite this sentence to sound more formal: {T} is great.",
              "Write a dialogue between two characters discussing {T}.",
              "Create a bedtime story for a {N}-year-old about {T}.",
              "Write a press release announcing {T}.",
              "Act as a travel writer and describe {T} vividly."),
          Map.of(
              "T",
              TOPICS,
              "S",
              List.of("sonnet", "short story", "monologue", "ballad", "fairy tale"),
              "A",
              List.of(
                  "Shakespeare",
                  "Hemingway",
                  "a pirate",
                  "Dr. Seuss",
                  "a sports commentator",
                  "Jane Austen"),
              "R",
              List.of("sister", "manager", "best friend", "landlord", "team", "grandfather")));

  static final Templates CODE =
      new Templates(
          List.of(
              "Write a {L} function that {F}.",
              "How do I {F} in {L}?",
              "Fix this {L} code, it throws an error: {C}",
              "Implement a class in {L} that {F}.",
              "What is wrong with this code? {C}",
              "Write a unit test in {L} for a function that {F}.",
              "Refactor this {L} snippet to be more readable: {C}",
              "Write a SQL query that returns the {N} customers with the highest total orders.",
              "Explain what this {L} code does: {C}",
              "Write a shell script that {F}."),
          Map.of(
              "L",
              List.of("Python", "Java", "JavaScript", "Go", "Rust", "C++", "TypeScript", "C#"),
              "F",
              List.of(
                  "reverses a linked list",
                  "parses a CSV file and sums the second column",
                  "checks whether a string is a palindrome",
                  "merges two sorted arrays",
                  "removes duplicates from a list",
                  "reads a JSON file and prints every key",
                  "computes the nth Fibonacci number with memoization",
                  "finds all files larger than 10 MB in a directory",
                  "validates an e-mail address with a regex",
                  "implements binary search",
                  "counts word frequencies in a text file",
                  "retries an HTTP request with backoff"),
              "C",
              List.of(
                  "for i in range(len(xs)): xs.remove(xs[i])",
                  "int[] a = new int[5]; a[5] = 1;",
                  "const x = await fetch(url).json();",
                  "if (s == \"yes\") { return true }",
                  "def f(x=[]): x.append(1); return x",
                  "SELECT name FROM users WHERE age > 30 GROUP BY city")));

  static final Templates PUZZLE =
      new Templates(
          List.of(
              "A knight always tells the truth and a knave always lies. {P1} says: \"{P2} is a knave.\" {P2} says: \"We are both knights.\" Who is what?",
              "What comes next in the sequence {N}, {N}, {N}, {N}, ...? Explain the pattern.",
              "A farmer must take a wolf, a goat and a cabbage across a river in a boat that holds only one of them at a time. How can he do it?",
              "{P1} is older than {P2}, and {P2} is older than {P3}. Is {P3} older than {P1}? Explain.",
              "If all {X} are {Y} and some {Y} are {Z}, must some {X} be {Z}? Reason it out.",
              "You have {N} coins and one of them is fake and lighter. With a balance scale, how few weighings find it?",
              "{P1}, {P2} and {P3} each own a different pet: a cat, a dog and a parrot. {P1} does not own the dog. {P2} owns the parrot. Who owns the cat?",
              "Riddle: what has keys but can't open locks?",
              "Solve this riddle: the more you take, the more you leave behind. What am I?",
              "Five people sit in a row. {P1} sits next to {P2} but not at an end, {P3} sits at the left end. Where can {P4} sit?",
              "Two trains leave at the same time toward each other; which one is closer to the first city when they meet? Think carefully.",
              "In a room there are {N} people and each shakes hands with every other person once. Without a formula, reason how many handshakes there are.",
              "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost? Explain your reasoning.",
              "{P1} says {P2} is lying. {P2} says {P3} is lying. {P3} says both {P1} and {P2} are lying. Who is telling the truth?",
              "If it takes {N} machines {N} minutes to make {N} widgets, how long would 100 machines take to make 100 widgets?"),
          Map.of(
              "P1",
              List.of("Alice", "Omar", "Mei", "Lukas", "Priya", "Tom"),
              "P2",
              List.of("Bob", "Sara", "Ken", "Ines", "Raj", "Zoe"),
              "P3",
              List.of("Carol", "Yusuf", "Lena", "Diego", "Hana", "Max"),
              "P4",
              List.of("Dan", "Eva", "Ali", "Nora"),
              "X",
              List.of("bloops", "artists", "squares", "teachers"),
              "Y",
              List.of("razzies", "dreamers", "rectangles", "readers"),
              "Z",
              List.of("lazzies", "runners", "red things", "parents")));

  static final Templates TRANSLATE =
      new Templates(
          List.of(
              "Translate into {L}: {S}",
              "How would you say \"{S}\" in {L}?",
              "Please translate the following sentence to {L}: \"{S}\"",
              "{S} -- translate this to {L}, please.",
              "Can you give me the {L} translation of: {S}",
              "Translate from English to {L} and keep the tone casual: {S}",
              "What is \"{S}\" in {L}?"),
          Map.of(
              "L",
              List.of(
                  "French",
                  "German",
                  "Spanish",
                  "Japanese",
                  "Italian",
                  "Portuguese",
                  "Chinese",
                  "Korean",
                  "Dutch",
                  "Arabic")));

  static final Templates EXTRACT =
      new Templates(
          List.of(
              "{P}\n\nList every number mentioned in the text above.",
              "Extract all the names of people from this text: {P}",
              "Read the passage and answer: who is the main person in it?\n\n{P}",
              "Summarize the following text in one sentence: {P}",
              "From the text below, return a JSON object with the fields person, items and quantities.\n{P}",
              "{P}\nWhat is the main point of this paragraph?",
              "Pull out the key facts from this passage as bullet points:\n{P}",
              "Identify the entities (people, objects, amounts) in: {P}",
              "Given the text: \"{P}\" -- what does it say about money?",
              "Read this and tell me which sentence mentions time or a date: {P}",
              "Give me a table of all quantities in the following text. {P}"),
          Map.of());
}
