package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * More PII training rows from the data set's own generator: sentence templates filled with values
 * from the fake-identity table and with values seen in the same slots of the training rows,
 * labelled by the conventions the training rows teach ({@link PlaceholderConventions}).
 *
 * <p>Leakage guard: only the templates of the given training rows are used, and the conventions and
 * slot values are learned from those rows only, so dev and held-out templates (split by {@code
 * template_id}) stay unseen. Seeded: the same inputs and seed give the same rows.
 */
public final class PiiTemplateGenerator {
  /** Shares of rows lower- / upper-cased whole, as part of the labelled data set is. */
  static final double LOWER_CASE_SHARE = 0.05;

  static final double UPPER_CASE_SHARE = 0.015;

  /**
   * How often a slot takes a value seen in the training rows rather than a fresh identity field.
   */
  static final double SEEN_VALUE_SHARE = 0.4;

  private final List<PiiTemplate> templates;
  private final PlaceholderConventions conventions;
  private final List<FakeIdentity> identities;
  private final List<FakeIdentity> women;
  private final List<FakeIdentity> men;

  /**
   * @param all every template, indexed by id
   * @param train labelled training rows: their template ids are the only ones used
   * @param identities identity rows to fill names, addresses and contact fields from
   */
  public PiiTemplateGenerator(
      List<PiiTemplate> all, List<SpanExample> train, List<FakeIdentity> identities) {
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("no identities to fill templates from");
    }
    this.conventions = PlaceholderConventions.learn(all, train);
    TreeSet<Integer> ids = new TreeSet<>();
    train.forEach(r -> ids.add(r.templateId()));
    List<PiiTemplate> usable = new ArrayList<>();
    for (int id : ids) {
      if (id < 0 || id >= all.size()) {
        continue;
      }
      PiiTemplate t = all.get(id);
      // Templates without slots add nothing new; a slot no row labelled cannot be labelled here.
      if (!t.placeholders().isEmpty()
          && t.placeholders().stream().allMatch(p -> conventions.label(p).isPresent())) {
        usable.add(t);
      }
    }
    if (usable.isEmpty()) {
      throw new DataException("no usable PII templates among the training rows' template ids");
    }
    this.templates = List.copyOf(usable);
    this.identities = List.copyOf(identities);
    this.women = identities.stream().filter(FakeIdentity::female).toList();
    this.men = identities.stream().filter(i -> !i.female()).toList();
  }

  public List<PiiTemplate> templates() {
    return templates;
  }

  public PlaceholderConventions conventions() {
    return conventions;
  }

  /** {@code n} rows, templates taken in turn (each about equally often), values drawn at random. */
  public List<SpanExample> generate(int n, long seed) {
    Random rnd = new Random(seed);
    List<SpanExample> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      out.add(fill(templates.get(k % templates.size()), rnd).row());
    }
    Collections.shuffle(out, rnd);
    return out;
  }

  /** A filled template: the row and where every slot's value landed (named by placeholder). */
  record Filled(SpanExample row, List<CharSpan> slots) {}

  Filled fill(PiiTemplate t, Random rnd) {
    double c = rnd.nextDouble();
    Locale root = Locale.ROOT;
    StringBuilder text = new StringBuilder();
    List<CharSpan> spans = new ArrayList<>();
    List<CharSpan> slots = new ArrayList<>();
    for (PiiTemplate.Part p : t.parts()) {
      String piece = p.slot() ? value(p.placeholder(), rnd) : p.literal();
      // Cased piece by piece so offsets stay right even where case mapping changes length.
      piece =
          c < LOWER_CASE_SHARE
              ? piece.toLowerCase(root)
              : c < LOWER_CASE_SHARE + UPPER_CASE_SHARE ? piece.toUpperCase(root) : piece;
      int start = text.length();
      text.append(piece);
      if (p.slot()) {
        slots.add(new CharSpan(start, text.length(), p.placeholder()));
        String label = conventions.label(p.placeholder()).orElseThrow();
        if (!label.equals(PlaceholderConventions.UNLABELLED) && !piece.isEmpty()) {
          spans.add(new CharSpan(start, text.length(), label));
        }
      }
    }
    return new Filled(new SpanExample(text.toString(), spans, t.id()), slots);
  }

  private String value(String placeholder, Random rnd) {
    List<String> seen = conventions.values(placeholder);
    Optional<String> fresh = fromIdentity(placeholder, rnd);
    if (fresh.isPresent()
        && !fresh.get().isBlank()
        && (seen.isEmpty() || rnd.nextDouble() >= SEEN_VALUE_SHARE)) {
      return fresh.get();
    }
    return seen.get(rnd.nextInt(seen.size()));
  }

  private FakeIdentity any(Random rnd) {
    return identities.get(rnd.nextInt(identities.size()));
  }

  private FakeIdentity of(List<FakeIdentity> group, Random rnd) {
    return group.isEmpty() ? any(rnd) : group.get(rnd.nextInt(group.size()));
  }

  /** A value from the identity table for the slots it has a field for. */
  private Optional<String> fromIdentity(String placeholder, Random rnd) {
    FakeIdentity id = any(rnd);
    String v =
        switch (placeholder) {
          case "first_name", "first_name_nonbinary" -> id.givenName();
          case "first_name_female" -> of(women, rnd).givenName();
          case "first_name_male" -> of(men, rnd).givenName();
          case "last_name" -> id.surname();
          case "last_name_female" -> of(women, rnd).surname();
          case "last_name_male" -> of(men, rnd).surname();
          case "person", "name" -> fullName(id, rnd);
          case "name_female" -> fullName(of(women, rnd), rnd);
          case "name_male" -> fullName(of(men, rnd), rnd);
          case "prefix" -> id.title();
          case "prefix_female" -> of(women, rnd).title();
          case "prefix_male" -> of(men, rnd).title();
          case "street_name" -> id.streetAddress();
          case "building_number" -> digits(rnd, 3 + rnd.nextInt(3));
          case "secondary_address" -> secondary(rnd);
          case "city" -> id.city();
          case "state_abbr" -> id.state();
          case "zipcode", "postcode" -> id.zipCode();
          case "country" -> id.country();
          case "address" -> address(id, rnd);
          case "phone_number" -> id.telephone();
          case "email" -> id.email();
          case "age" -> id.age();
          case "date_of_birth" -> id.birthday();
          case "job" -> id.occupation();
          case "organization" -> id.company();
          case "nationality" -> id.nameSet();
          default -> null;
        };
    return Optional.ofNullable(v);
  }

  /** "Jane Roe", "Jane Q Roe" or "Jane Q. Roe", the forms the data set's names take. */
  private static String fullName(FakeIdentity id, Random rnd) {
    double r = rnd.nextDouble();
    if (r < 0.25 && !id.middleInitial().isEmpty()) {
      return id.givenName() + " " + id.middleInitial() + (r < 0.15 ? ". " : " ") + id.surname();
    }
    return id.givenName() + " " + id.surname();
  }

  private static String digits(Random rnd, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + rnd.nextInt(10)));
    }
    return b.toString();
  }

  private static String secondary(Random rnd) {
    return (rnd.nextBoolean() ? "Apt. " : "Suite ") + digits(rnd, 3);
  }

  /** Whole postal addresses in the layouts the data set's {@code {{address}}} values use. */
  private String address(FakeIdentity id, Random rnd) {
    String b = digits(rnd, 3 + rnd.nextInt(3));
    String street = id.streetAddress();
    String region = id.state().isEmpty() ? id.country() : id.state();
    String sec = secondary(rnd);
    String zip = id.zipCode();
    return switch (rnd.nextInt(11)) {
      case 0 -> b + " " + street + "\n" + id.city() + ", " + region + " " + zip;
      case 1 -> b + " " + street + " " + sec + "\n" + id.city() + ", " + region + " " + zip;
      case 2 -> b + " " + street + ", " + id.city() + ", " + id.country();
      case 3 -> b + " " + street + " " + sec + ", " + id.city() + ", " + id.country() + " " + zip;
      case 4 ->
          b + " " + street + "\n " + sec + "\n " + id.city() + "\n " + id.country() + " " + zip;
      case 5 -> b + " " + street + "\n" + id.city() + "\n, " + region + "\n " + zip;
      case 6 ->
          b
              + " "
              + street
              + " "
              + sec
              + "\n"
              + id.city()
              + "\n, "
              + region
              + "\n "
              + id.country()
              + " "
              + zip;
      case 7 -> b + " " + street + " " + sec + " " + id.city() + " " + id.country();
      case 8 -> street + ", " + zip + " " + id.city();
      case 9 ->
          (rnd.nextBoolean()
                  ? "PSC " + digits(rnd, 4) + ", Box "
                  : "Unit " + digits(rnd, 4) + " Box ")
              + digits(rnd, 4)
              + "\n"
              + (rnd.nextBoolean() ? "APO" : "DPO")
              + " A"
              + "EAP".charAt(rnd.nextInt(3))
              + " "
              + digits(rnd, 5);
      default -> "the corner of " + street + " and " + any(rnd).streetAddress();
    };
  }
}
