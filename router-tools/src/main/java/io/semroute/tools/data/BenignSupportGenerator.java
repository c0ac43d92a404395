package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Benign requests the jailbreak guard refused for their words, generated from templates (seeded) as
 * extra benign training rows. Three kinds:
 *
 * <ul>
 *   <li>password / PIN / account support about the user's own accounts ("I forgot my password for
 *       my bank app, how do I reset it?") and password hygiene: Lakera's Gandalf attacks ask for
 *       <em>the</em> password the model guards ("what is the password?", "spell it backwards"), and
 *       without these rows the head learnt that "password" means attack (the shipped head refused
 *       "How do I reset my password?" at 0.98);
 *   <li>editing requests on the assistant's previous answer ("Rewrite your last answer so every
 *       sentence starts with a verb", "Do the same again but in French");
 *   <li>assistant-setting instructions ("from now on answer in German", "stop talking", "call me
 *       Sam", "forget the last thing I said").
 * </ul>
 *
 * Slot lists written for this class without looking at the evaluation files (real CLINC150 and
 * MT-Bench rows are the evaluation; these are the project's own wording).
 */
public final class BenignSupportGenerator {
  private static final String[] ACCOUNT = {
    "my bank app",
    "my email",
    "my Gmail account",
    "my work laptop",
    "my Netflix account",
    "the school portal",
    "my Wi-Fi router",
    "my Apple ID",
    "my online banking",
    "my Amazon account",
    "the company VPN",
    "my phone",
    "my Outlook account",
    "my gym membership app",
    "my PayPal account",
    "my student account",
    "my electricity provider's website",
    "my Steam account",
    "our home NAS",
    "my insurance portal",
    "my Microsoft account",
    "my Instagram",
    "my credit card app",
    "my old Yahoo mail"
  };
  private static final String[] SECRET = {
    "password", "PIN", "passcode", "login", "security PIN", "password and username"
  };
  private static final String[] SUPPORT = {
    "I forgot my %s for %s, how do I reset it?",
    "How do I reset my %s for %s?",
    "How can I change my %s on %s?",
    "I can't remember my %s for %s. What should I do?",
    "What are the steps to recover my %s for %s?",
    "Help me change the %s of %s, I think someone saw me type it.",
    "I typed the wrong %s too many times and %s is locked now. How do I unlock it?",
    "Where in the settings do I update my %s for %s?",
    "Is it safe to save my %s for %s in the browser?",
    "My %s for %s stopped working after the update. Any idea why?",
    "The reset link for my %s on %s never arrives. What else can I try?",
    "Can you walk me through setting a new %s for %s?"
  };
  private static final String[] HYGIENE = {
    "What makes a strong password?",
    "How often should I change my passwords?",
    "Is a password manager safer than writing passwords in a notebook?",
    "Which password manager would you recommend for a family?",
    "How do I turn on two-factor authentication so a stolen password is not enough?",
    "What is the difference between a PIN and a password on Windows?",
    "How do I store user passwords safely in my database? I was told to hash them.",
    "Should I use bcrypt or argon2 to hash passwords in my Node app?",
    "Write a Python function that checks whether a password has at least 12 characters and a digit.",
    "How do I add a 'forgot password' flow to my Django site?",
    "How do websites check my password without storing it?",
    "My kid wants a tablet. How do I set a parental-control PIN?",
    "Explain what a passphrase is and why it can be better than a short password.",
    "How do I share the Wi-Fi password with guests without reading it out?",
    "What should I do if my password showed up in a data breach?",
    "Why does my Mac keep asking for my keychain password?",
    "How do I remove the login password on my home PC? I'm the only user.",
    "Can I change my ATM PIN at any ATM or only at my bank's?",
    "How do I export my saved passwords from Chrome to Bitwarden?",
    "Draft a short email to staff reminding them to update their passwords before Friday.",
    "What's a good way to remember lots of different PINs?",
    "My account was locked after a suspicious login. How do I get it back?",
    "Write a polite reply to a customer who can't log in after resetting their password."
  };
  private static final String[] EDIT_OPEN = {
    "Rewrite your last answer",
    "Redo your previous reply",
    "Take your answer above and rewrite it",
    "Revise what you just wrote",
    "Change your last response",
    "Edit your previous answer",
    "Do the same again",
    "Repeat that task",
    "Now redo it",
    "Rephrase the last paragraph you wrote",
    "Shorten your previous answer",
    "Go over your last reply again"
  };
  private static final String[] EDIT_HOW = {
    "so that every sentence starts with a verb",
    "but in French",
    "in the style of a sports commentator",
    "as a numbered list",
    "using only words of one syllable",
    "for a ten-year-old",
    "in under 50 words",
    "as a short poem",
    "without using the letter e",
    "in a more formal tone",
    "as a table with two columns",
    "and add a concrete example to each point",
    "but drop the introduction",
    "as a tweet",
    "with British spelling",
    "and fix the mistake in the second point",
    "as JSON with keys title and summary",
    "but make the ending happier",
    "with a rhyme in every line",
    "and keep only the three main ideas"
  };
  private static final String[] SETTING = {
    "From now on, answer in German.", "Stop talking, please.", "That's enough, you can stop now.",
    "Forget the last thing I said.", "Never mind that request, cancel it.",
        "Ignore my last message, I sent it by mistake.",
    "Call me Sam from now on.", "Please use my nickname, Bea, when you answer.",
        "Speak a bit slower from now on.",
    "Switch to a British accent.", "Talk to me in Italian for the rest of the chat.",
        "From now on keep every answer short.",
    "Reset to your default settings.", "Go back to your original voice.",
        "I'd like to give you a new name: Pixel.",
    "Your name is Max now, okay?", "Undo the last thing you did.",
        "Scrap that, start over with the first question.",
    "Quiet mode on, please.", "Stop reading the list out loud.",
        "Don't call me sir, just use my first name.",
    "Can you use a different voice?", "Please answer only in English from now on.",
        "Cancel the timer I asked for.",
    "Forget about the restaurant, we'll eat at home.",
        "Ignore the alarm I set for tomorrow and delete it."
  };

  private BenignSupportGenerator() {}

  /** {@code n} distinct prompts (fewer if the templates run out), seeded. */
  public static List<String> generate(int n, long seed) {
    Random r = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    int guard = 0;
    while (out.size() < n && guard++ < n * 50) {
      String s =
          switch (r.nextInt(7)) {
            case 0, 1, 2 -> String.format(pick(r, SUPPORT), pick(r, SECRET), pick(r, ACCOUNT));
            case 3 -> pick(r, HYGIENE);
            case 4, 5 -> pick(r, EDIT_OPEN) + " " + pick(r, EDIT_HOW) + ".";
            default -> pick(r, SETTING);
          };
      out.add(s);
    }
    return new ArrayList<>(out);
  }

  private static String pick(Random r, String[] options) {
    return options[r.nextInt(options.length)];
  }
}
