"""Reading a question's form: yes/no, and the outlets it names."""

from rag.questions import is_yes_no, named_sources

SOURCES = ["The Verge", "TechCrunch", "The Age", "Fortune", "The Sydney Morning Herald", "Sydney", "BBC"]


def test_yes_no_questions_are_recognised():
    assert is_yes_no("Does 'The Verge' suggest that the deal failed?")
    assert is_yes_no("Was the report published before the vote?")
    assert not is_yes_no("Who was arrested in Guayaquil?")
    assert not is_yes_no("How many people did the storm displace?")
    # The question proper after a leading clause:
    assert is_yes_no("After the Herald reported the vote on Monday, did the Post report the same count?")
    assert is_yes_no("Between the report of March 3 and the one of March 9, was there a change in the toll?")
    assert not is_yes_no("Who, according to the report of March 3, was arrested?")
    assert not is_yes_no("In April, May and June, how many ships docked?")


def test_named_outlets_are_found_as_written_in_question_order():
    question = "Did TechCrunch report the launch after 'The Verge' covered it, and before The Sydney Morning Herald?"
    assert named_sources(question, SOURCES) == ["TechCrunch", "The Verge", "The Sydney Morning Herald"]


def test_common_words_are_not_outlets_and_nested_names_count_once():
    assert named_sources("What was the age of the winner of the fortune?", SOURCES) == []
    assert named_sources("Did The Sydney Morning Herald cover it?", SOURCES) == ["The Sydney Morning Herald"]


def test_a_question_constrains_its_evidence_by_years_and_names():
    from rag.questions import constraints, unmet_constraints

    assert constraints("Who won the women's singles at Wimbledon in 2019?") == ({"2019"}, {"wimbledon"})
    assert unmet_constraints("Who won Wimbledon in 2019?", "Alcaraz won Wimbledon on Sunday.", {"2023"}, "") == {"2019"}
    assert unmet_constraints("Who won Wimbledon in 2019?", "Halep won Wimbledon.", {"2019"}, "") == set()
    assert unmet_constraints("What did the Ecuadorian army do?", "Ecuador's army patrolled the port.", set(), "") \
        == set()
    assert unmet_constraints("How many died in Quito?", "22 died in Guayaquil.", set(), "Guayaquil mourns.") \
        == {"quito"}
    assert unmet_constraints("When was GPT-3 released?", "GPT-3 came out in June 2020.", set(), "") == set()
    # a day in AP style names no one: "November 17" meets "Nov. 17"
    assert constraints("How many students were absent in Charlotte on Nov. 17?") == (set(), {"charlotte"})


def test_a_prize_asked_in_common_words_must_be_told_by_the_cited_passage():
    """A night of many prizes: the sentence on Beyoncé's record states a win, not album of the year."""
    from rag.questions import unmet_constraints

    record = "Beyoncé makes Grammys history, breaking the record for most-winning female artist."
    assert unmet_constraints("Who won album of the year at the 2021 Grammys?", record, {"2021"}, "") == {"album"}
    swift = "Taking home album of the year for Folklore, Taylor Swift made Grammy history."
    assert unmet_constraints("Who won album of the year at the 2021 Grammys?", swift, {"2021"}, "") == set()
    # any word of the prize told will do, by its start; a proper name is checked as a name
    runoff = "Noboa defeated Gonzalez in Sunday's runoff, the electoral council said."
    assert unmet_constraints("Who won the presidential runoff election on April 13?", runoff, set(), "") == set()
    assert unmet_constraints("Who won the 2021 Tour de France?", "Pogacar won again.", {"2021"}, "Tour de France") \
        == set()
    assert unmet_constraints("Who won the most medals?", "The U.S. topped the medal table.", set(), "") == set()


def test_an_edition_of_an_event_asked_by_its_number_must_be_the_cited_one():
    """Asked about the 92nd Academy Awards, a passage on the 2025 Golden Globes (the same season's story)
    answers for another ceremony."""
    from rag.questions import unmet_constraints

    asked = "Which actress is predicted to win best actress at the 92nd Academy Awards?"
    globes = "Demi Moore wins best actress in a musical or comedy. Golden Globes 2025: Demi Moore win"
    assert unmet_constraints(asked, globes, {"2025"}, "Academy Awards") == {"92nd"}
    oscars = "Will win/should win: Zellweger. Oscars 2020 predictions for the 92nd Academy Awards"
    assert unmet_constraints(asked, oscars, {"2020"}, "") == set()
    # an ordinal inside a name is no edition
    assert unmet_constraints("Who acquired 20th Century Fox?", "Disney bought 21st Century Fox.", set(),
                             "20th Century Fox") == set()


def test_a_longer_word_is_the_name_only_as_its_own_form():
    """"Ecuadorian" is Ecuador's, "Australia" is not Austria, and the Dominican Republic is not Dominica."""
    from rag.questions import unmet_constraints

    def unmet(question, cited):
        return unmet_constraints(question, cited, set(), "")

    assert unmet("How many died in Dominica?", "Two deaths were reported in the Dominican Republic.") == {"dominica"}
    assert unmet("How many died in Dominica?", "Two deaths were reported in Dominica.") == set()
    assert unmet("Who won in Austria?", "Novak won in Australia.") == {"austria"}
    assert unmet("Who leads Austria?", "Austrian Chancellor Karl spoke.") == set()
    assert unmet("Who leads Ecuador?", "The Ecuadorian President said.") == set()
    assert unmet("What happened in India?", "The Indiana Pacers won.") == {"india"}
    assert unmet("What happened in India?", "Indian officials said.") == set()
    # an accent is the same name with or without it, and one word
    assert unmet("What did José Andrés cook?", "Chef Jose Andres made meals.") == set()
    assert unmet("What did Sanchez say?", "Lauren Sánchez said so.") == set()
    # a shorter word is the name's only as the start of it: "Vaughn" is another man than James Vaughan
    assert unmet("Where did James Vaughan study?", "State senator James Vaughn Sr. grew up in Clayton.") == {
        "james vaughan"}
    assert unmet("What did Ukrainians say?", "Ukraine said so.") == set()
    assert unmet("Who won the Golden Globes?", "The Golden Globe Awards went to Oppenheimer.") == set()
    assert unmet("What did Sánchez say?", "Lauren Smith said so.") == {"sanchez"}
    # names news write in more than one way
    assert unmet("How much did U.S. lottery sales total?", "Sales in the United States topped $91 billion.") == set()
    assert unmet("What share of adults in the UK are Catholic?", "In Britain, 8% of adults are Catholic.") == set()
    assert unmet("What did the U.S. say?", "Britain said no.") == {"us"}
    assert unmet("Who hosts the Tonys?", "McDonald hosts the Tony Awards.") == set()
    assert unmet("Who hosts the Tonys?", "Tony Blair hosts a dinner.") == {"tonys"}
    # a name from another shown passage counts; a year only from what is cited
    assert unmet_constraints("Did Quito see clashes in 2019?", "Clashes in 2019.", set(), "Quito police said.") == set()
    assert unmet_constraints("Did Quito see clashes in 2019?", "Clashes.", set(), "Quito in 2019.") == {"2019"}
    # a span of years named as one thing meets both; its end alone is a period's bound
    during = "During the 2018-2019 shutdown, the USDA paid February benefits early."
    assert unmet_constraints("When were benefits paid in the 2018-2019 shutdown?", during, set(), "") == set()
    assert unmet_constraints("When were benefits paid in 2019?", during, set(), "") == {"2019"}
    loss = "30% of the 62 known colonies sustained sea ice loss between 2018 and 2022."
    assert unmet_constraints("What share of colonies lost ice between 2018 and 2022?", loss, set(), "") == set()
    # a bound the question sets is met by the same bound, not by the other side of its year. Seen withheld:
    # "How many presidents lived past 90 before 2004?" from "Before 2004, only two presidents lived past 90"
    before = "How many presidents lived past 90 before 2004?"
    assert unmet_constraints(before, "Before 2004, only two presidents lived past 90.", set(), "") == set()
    assert unmet_constraints(before, "Since 2004, every former president lived into his 90s.", set(), "") == {"2004"}
    assert unmet_constraints("How many storms since 2010?", "There were 40 storms after 2010.", set(), "") == set()
    # the year as the bound of another period dates nothing: a 2022 report on the youngest finalist since 2018
    since = "Jul 9, 2022 ... Rybakina won the women's singles final at Wimbledon, the youngest finalist since 2018."
    assert unmet_constraints("Who won Wimbledon in 2018?", since, {"2022"}, "") == {"2018"}
    won = "By winning the 2013 Wimbledon Championships, Murray became the first British man since 1936 to win."
    assert unmet_constraints("Who won Wimbledon in 2013?", won, set(), "") == set()
    # "from" before a year that dates a thing tells a cause, no bound: the tsunami's year is the fact's
    from rag.questions import bounded, years_of_facts

    assert years_of_facts("How many people died in Hawaii from the July 2025 tsunami?") == ({"2025"}, {"2025"})
    assert bounded("How many died from the 2025 tsunami?") == set()
    assert years_of_facts("What did sales do from 2019 to 2021?") == ({"2019", "2021"}, set())
    assert bounded("How did sales grow from 2019 on?") == {("after", "2019")}


def test_a_level_reached_by_a_year_is_that_years_level():
    """Seen withheld (new user): "What share of U.S. fire departments relied solely on volunteers in 2015?" ->
    "about 69 percent", from "by 2015, the figure had dropped to about 69 percent": not a period's bound."""
    from rag.questions import bounded, unmet_constraints

    fires = "What share of U.S. fire departments relied solely on volunteers in 2015?"
    level = "In 2001, about three-quarters of U.S. fire departments relied solely on volunteers; by 2015, the figure "
    assert unmet_constraints(fires, level + "had dropped to about 69 percent.", set(), "U.S.") == set()
    assert unmet_constraints(fires, "Fire departments' share fell to 69 percent by 2015.", set(), "U.S.") == set()
    assert unmet_constraints(fires, level + "was lower.", set(), "U.S.") == {"2015"}
    assert bounded("The plant will be finished by 2027.") == {("before", "2027")}
    assert bounded("By 2030, the firm plans to cut 5,000 jobs.") == {("before", "2030")}


def test_a_month_of_the_question_must_be_met_by_the_cited_text_or_a_date_it_resolves_to():
    """"How many ships were still waiting offshore at the end of March?" was answered from a sentence on
    the ships waiting when the strike ended, on 1 March. (In the eval's article "mid-March" stands in the
    same passage, which meets the check, as a year elsewhere in the passage meets the year check.)"""
    from rag.questions import unmet_constraints

    asked = "How many ships were still waiting at the end of March?"
    assert unmet_constraints(asked, "The strike left 200 ships waiting offshore.", {"2025"}, "") == {"March"}
    assert unmet_constraints(asked, "By late March, 40 ships were still waiting.", {"2025"}, "") == set()
    assert unmet_constraints(asked, "On Monday 40 ships were waiting.", {"2025", "2025-03-31"}, "") == set()
    assert unmet_constraints(asked, "On Monday 40 ships waited.", {"2025", "2025-02-24"}, "") == {"March"}
    assert unmet_constraints("What did the Marl do in March?", "The Marl rose.", set(), "") == {"March"}
    assert unmet_constraints("Who won in September 2019?", "In Sept. 2019 Halep won.", set(), "") == set()
    # a month with its day is a report's date, and "May" opening a question is no month
    assert unmet_constraints("Did the report of October 1st say yields rose?", "They rose.", set(), "") == set()
    assert unmet_constraints("May the council reopen the levee?", "It may reopen it.", set(), "") == set()


def test_a_whole_month_is_met_by_a_report_of_that_month_that_dates_nothing_itself():
    """Seen withheld (new user, five of 45 right answers): "How many political prisoners did Cuba's
    government say it would release in January 2025?" cited a report of 14 January 2025 saying so."""
    from datetime import date

    from rag.questions import unmet_constraints

    asked = "How many prisoners did Cuba say it would release in January 2025?"
    said = "Cuba's government said it would release 553 political prisoners."
    assert unmet_constraints(asked, said, {"2025"}, "", [date(2025, 1, 14)]) == set()
    assert unmet_constraints(asked, said, {"2025"}, "", [date(2025, 2, 3)]) == {"January"}
    # in the year asked: a report of January 2024 beside one of March 2025 meets neither "January 2025"
    assert unmet_constraints(asked, said, {"2024", "2025"}, "", [date(2024, 1, 14), date(2025, 3, 2)]) == {"January"}
    storm = "How much snow fell during the March 2025 storm?"
    assert unmet_constraints(storm, "Snowfall reached 9 inches.", {"2025"}, "", [date(2025, 3, 5)]) == set()
    # a part of the month is not reached by a report of its first days; a text that dates itself tells
    waiting = "How many ships were still waiting at the end of March?"
    assert unmet_constraints(waiting, "200 ships were waiting.", {"2025"}, "", [date(2025, 3, 2)]) == {"March"}
    waited = "How many ships waited in March?"
    assert unmet_constraints(waited, "In February 200 ships waited.", {"2025"}, "", [date(2025, 3, 20)]) == {"March"}
    assert unmet_constraints(waited, "On Monday 200 ships waited.", {"2025", "2025-02-24"}, "", [date(2025, 3, 2)]) \
        == {"March"}


def test_a_capital_that_opens_a_sentence_of_the_question_names_nothing():
    """Quiz-style questions set a scene first; the word opening the question proper is no name the
    evidence must contain (seen: "Around" withheld a right, cited "$5 million"). Titles and
    abbreviations do not end a sentence."""
    from rag.questions import constraints

    scene = "The US will sell a gold card, Trump said. Around how much will it cost? Roughly what?"
    assert constraints(scene)[1] == {"trump"}
    assert constraints("Which ministry does Dr. Helen Marsh lead?")[1] == {"helen marsh"}
    assert "us open" in constraints("Who won the women's singles U.S. Open in 2021?")[1]
    assert constraints("Did 'Rep. Patrick McHenry' stay on?")[1] == {"patrick mchenry"}


def test_an_event_is_met_by_its_name_with_a_word_more_before_its_head():
    """Seen withheld (new user): "the Milan-Cortina Games" was not found in "organizers of next year's
    Milan-Cortina Winter Games"."""
    from rag.questions import mentioned

    assert mentioned("milan-cortina games", "organizers of next year's Milan-Cortina Winter Games said")
    assert mentioned("los angeles games", "ahead of the Los Angeles Olympic Games")
    assert not mentioned("paris games", "the Tokyo Summer Games, held in Paris")
    assert not mentioned("drava river", "the Drava Main River")  # only an event's head


def test_a_country_is_met_by_its_adjective():
    """Seen withheld (new user): "Who is the president of China?" -> Xi Jinping, citing "Chinese President Xi
    Jinping is also widely expected to seek a historic third term"."""
    from rag.questions import mentioned

    assert mentioned("china", "Chinese President Xi Jinping is also widely expected to seek a third term.")
    assert mentioned("cuba", "Cuban President Miguel Diaz-Canel said in a message.")
    assert mentioned("uk", "British Prime Minister Rishi Sunak said.")
    assert mentioned("ukraine", "Ukrainian President Volodymyr Zelenskyy said.")  # read by its start already
    assert not mentioned("cuba", "Chinese President Xi Jinping said.")
    assert not mentioned("peru", "The Perugia side won.")


def test_an_acronym_is_met_by_its_name_written_out():
    """Seen withheld (new user): "How many asylum applications are pending in US immigration courts and
    USCIS?" cited "... at US Citizenship and Immigration Services"."""
    from rag.questions import mentioned

    assert mentioned("uscis", "pending at US Citizenship and Immigration Services, the data show")
    assert mentioned("cdc", "the Centers for Disease Control and Prevention said")
    assert mentioned("ice", "agents of U.S. Immigration and Customs Enforcement")
    assert not mentioned("cdc", "the Centers for Medicare and Medicaid Services said")
    assert not mentioned("nasa", "the National Oceanic and Atmospheric Administration")


def test_a_name_of_several_words_is_met_by_its_last_on_its_own():
    """Articles name a person by surname ("Kane scored"), and a question's first name, unseen, withheld
    right answers (MultiHop: 'Tessa Wullaert', 'Harry Kane'). Another name ending in the same word is
    another thing: the Marl River is not the Drava River."""
    from rag.questions import constraints, unmet_constraints

    assert constraints("Did Harry Kane score while Marvel's Spider-Man 2 sold?")[1] == {
        "harry kane", "marvel", "spider-man"
    }
    assert unmet_constraints("Did Harry Kane score a penalty?", "Kane scored from the spot.", set(), "") == set()
    assert unmet_constraints("Did Harry Kane score?", "Sarah Kane wrote it.", set(), "") == {"harry kane"}
    assert unmet_constraints("How high did the Drava River rise?", "The Marl River crested.", set(), "") == {
        "drava river"
    }
    assert unmet_constraints(
        "How high did the Drava River rise in Riverton?", "Riverton: the river crested.", set(), ""
    ) == {"drava river"}
    assert unmet_constraints("How many died in New Orleans?", "Nine died in New York.", set(), "") == {"new orleans"}
    assert unmet_constraints("Did Kane and Vinicius score?", "Kane scored.", set(), "") == {"vinicius"}
    assert unmet_constraints("Who won the Maxwell Award?", "CFDA Awards: Brandon Maxwell won.", set(), "") == {
        "maxwell award"
    }
    assert unmet_constraints("Who won the U.S. Open?", "Osaka won the US Open.", set(), "") == set()


def test_an_event_asked_for_with_its_final_or_ceremony_is_met_by_the_event():
    """Withheld right answers (RGB): "the World Cup Final in 2014" from "the 2014 World Cup title", "the
    92nd Academy Awards Ceremony" from "The 92nd Academy Awards | 2020 ... Phoenix wins Best Actor"."""
    from rag.questions import unmet_constraints

    asked = "Who won the World Cup Final in 2014?"
    assert unmet_constraints(asked, "Germany took home the 2014 World Cup title.", set(), "") == set()
    assert unmet_constraints(asked, "Germany won the 2014 Club Final.", set(), "") == {"world cup final"}
    assert unmet_constraints("Who won at the 92nd Academy Awards Ceremony?", "The 92nd Academy Awards.", set(), "") \
        == set()
    # a season is not a part of the show: season 11 is not the show
    assert unmet_constraints("When does The Walking Dead Season 11 air?", "The Walking Dead airs.", set(), "") == {
        "walking dead season"
    }


def test_names_count_from_cited_articles_and_others_of_the_same_story():
    from rag.questions import same_story

    shown = {
        "ferry": "Ferry runs aground off Kessler Bay. The vessel had left the port of Tarven.",
        "follow-up": "Investigators said the ferry off Kessler Bay drifted. Its captain, Ingrid Solberg, spoke.",
        "solar": "Helion Grid opened a solar plant near Caldera.",
    }
    assert same_story(shown, {"ferry"}) == {"ferry", "follow-up"}
    assert same_story(shown, {"solar"}) == {"solar"}
    assert same_story(shown, set()) == set()
    # a name within a longer one is shared; two names sharing a word, or capitals opening sentences, are not
    moon = {
        "lander": "Plans are to land Beresheet in Mare Serenitatis. About two days on the surface.",
        "other": "The region is located within Mare Crisium. About 300 miles wide.",
        "globes": "The 77th annual Golden Globes will take place on January 5.",
        "awards": "Winners at the 2020 Golden Globe Awards, hosted at the Beverly Hilton.",
    }
    assert same_story(moon, {"other"}) == {"other"}
    assert same_story(moon, {"globes"}) == {"globes", "awards"}


def test_a_question_asking_who_won_or_acquired_needs_a_sentence_that_states_it():
    """Seen answered from sentences next to the outcome: a first-round preview for "who won Wimbledon",
    a page that says the election "was held on November 3", the founders for "who acquired"."""
    from rag.questions import misses_the_ask

    assert misses_the_ask("Who won the women's singles in 2019?", "Serena Williams and Konta meet in round one.")
    assert misses_the_ask("Who is the Heisman Trophy winner in 2012?", "Manziel plays for Texas A&M.")
    assert misses_the_ask("Which country won the most medals?", "Norway sent 109 athletes.")
    assert misses_the_ask("What film won best picture?", "The nominees for best picture were announced on Tuesday.")
    # a win asked in other words: "pulled off a victory", "claimed the win"
    asked = "Which party pulled off a surprise victory in the city election?"
    assert misses_the_ask(asked, "Most Democrats, 86%, were opposed to the plan.")
    assert not misses_the_ask(asked, "The Greens won the city election with 31 percent.")
    assert misses_the_ask("Who claimed the win at the marathon?", "Kiptum ran the marathon in 2023.")
    # the winning goal: a first goal of the final is not it
    assert misses_the_ask("Who scored the winning goal in the final?", "Hyman got his first goal of the final.")
    assert not misses_the_ask("Who scored the winning goal in the final?", "McDavid scored the overtime winner.")
    for stated in ("Halep defeated Serena Williams in the final.", "Barty wins the 2021 Wimbledon.",
                   "Norway collected 39 medals, the largest haul.", "Macron was elected president."):
        assert not misses_the_ask("Who won the final?", stated), stated  # a year of its own: the next test
    assert misses_the_ask("Who acquired the app?", "The app was founded in 2009 by Koum and Acton.")
    assert not misses_the_ask("Who acquired the studio?", "In 1981 the studio was bought by Marvin Davis.")
    assert not misses_the_ask("Who founded the app?", "The app was founded in 2009.")
    # asked when a team last won, a drought's first year is no win: seen answered "dates to 1961"
    duke = "When did Duke last win the baseball national championship?"
    assert misses_the_ask(duke, "The loss continues Duke's World Series drought, which dates to 1961.")
    assert not misses_the_ask(duke, "Duke won its only title in 1961.")
    assert not misses_the_ask("In what year did Coastal Carolina win the title?", "Coastal won it all in 2016.")
    # a firing: new user, "Who was the acting attorney general Trump fired?" -> one who "steps down"
    fired = "Who was the acting attorney general Trump fired?"
    assert misses_the_ask(fired, "The moves come as acting Attorney General Jeffrey Rosen steps down Wednesday.")
    assert not misses_the_ask(fired, "Trump fired acting Attorney General Sally Yates for refusing to defend it.")
    assert not misses_the_ask("Who ousted the CEO?", "The board removed Altman on Friday.")


def test_asked_who_won_in_a_year_a_win_dated_in_another_year_is_not_it():
    """New user: "Who won the gold medal in men's hockey at the 2022 Winter Olympics?" -> Eric Staal, from
    "Eric Staal, who won a gold medal with Canada in 2010 ..., had little chance of making the 2022 team"."""
    from rag.questions import misses_the_ask

    asked = "Who won the gold medal in men's hockey at the 2022 Winter Olympics?"
    staal = ("Eric Staal, who won a gold medal with Canada in 2010 and didn't go in 2014, had little chance of "
             "making the 2022 team.")
    assert misses_the_ask(asked, staal)
    assert not misses_the_ask(asked, "Finland won the gold medal in 2022, beating Russia 2-1.")
    assert not misses_the_ask(asked, "Finland beat the Russian team 2-1 to win gold.")  # a win dated by no year
    assert not misses_the_ask("Who won the gold medal in men's hockey?", staal)  # no year asked
    # a year that bounds the asked period is no year of the win: "before 2025" asks for an earlier one
    assert not misses_the_ask("When did the Blue Jays last win the World Series before 2025?",
                              "This is the Blue Jays' third appearance, winning championships in 1992 and 1993.")


def test_asked_about_one_of_two_groups_sentences_on_the_other_only_miss_it():
    """New user: "Which incoming Republican called for a House Ethics Committee investigation?" -> a
    Democrat who called the congressman a fraud. Men's and women's events, boys and girls, likewise."""
    from rag.questions import misses_the_ask

    asked = "Which incoming Republican called for a House Ethics Committee investigation of the congressman?"
    assert misses_the_ask(asked, "Democratic Rep.-elect Dan Goldman called the congressman a 'total fraud.'")
    assert not misses_the_ask(asked, "GOP Rep.-elect Nick LaLota called for a full investigation.")
    assert not misses_the_ask(asked, "Democrats and Republican Nick LaLota called for an investigation.")
    assert not misses_the_ask(asked, "Nick LaLota called for an investigation.")  # neither group named
    assert misses_the_ask("Who won the women's final?", "Djokovic won the men's final.")
    assert not misses_the_ask("Who won the women's final?", "Swiatek won the women's final.")
    assert not misses_the_ask("Where do the girls and boys train?", "The boys train in Leeds.")  # both asked
    assert not misses_the_ask("Which Democrat spoke?", "The Democratic Republic of Congo's envoy spoke.")
    # the two chambers. New user: "Who sponsored the hospital tax bill in the Delaware House?" -> the senator
    # who sponsored it in the Senate
    mcbride = "Hospitals pointed to the bill, sponsored by Sen. Sarah McBride, as the appropriate approach."
    assert misses_the_ask("Who sponsored the hospital tax bill in the Delaware House?", mcbride)
    assert not misses_the_ask("Who sponsored the hospital tax bill?", mcbride)
    assert not misses_the_ask("Which senator sponsored the bill?", mcbride)
    assert misses_the_ask("Which senator sponsored the bill?", "Rep. Ana Ruiz sponsored the House bill.")
    assert not misses_the_ask("What did the White House say?", "Sen. Ana Ruiz said the White House agreed.")


def test_asked_about_one_state_a_sentence_on_another_or_a_count_over_many_misses_it():
    """New user: "Who is North Carolina's state health secretary?" -> the man to lead North Dakota's health
    department (a 50-states roundup names every state somewhere); "How many stores did the chain have in New
    Jersey?" -> its count "across 15 states"."""
    from rag.questions import misses_the_ask

    asked = "Who is Ohio's state health director?"
    assert misses_the_ask(asked, "Dr. Ann Roe will lead the Iowa Department of Health from May 1.")
    assert not misses_the_ask(asked, "Dr. Ann Roe will lead the Ohio Department of Health from May 1.")
    assert not misses_the_ask(asked, "Dr. Ann Roe, who ran Iowa's agency, now leads Ohio's.")  # both named
    assert not misses_the_ask(asked, "Dr. Ann Roe is the state health director, The New York Times says.")
    assert not misses_the_ask("Where did the Ohio suspect live?", "The suspect lived in Iowa.")  # a place asked
    assert not misses_the_ask("How strong was the quake near Arcata, California?",
                              "A 7.0 quake struck near Arcata in California Thursday, felt from Oregon on.")
    # a town the question puts in its state is told of with another state beside it
    assert not misses_the_ask("How many residents does Arcata, California have?",
                              "What makes Arcata, a town of 6,700 residents south of the Oregon border, so wet?")
    assert misses_the_ask("How many residents does Arcata, California have?", "Ashland, Oregon has 21,000.")
    count = "How many stores does the chain have in Oregon?"
    assert misses_the_ask(count, "The chain operated 1,200 stores across 15 states.")
    assert misses_the_ask(count, "There are 1,818 of its stores across the United States.")
    assert not misses_the_ask(count, "It has 102 stores in Oregon, out of 1,818 nationwide.")
    assert not misses_the_ask("How many stores does it have in the United States?", "It has 1,818 stores nationwide.")
    assert not misses_the_ask("How many people died in the floods in Texas?", "Floods across the state killed 40.")
    # a figure of one country's own things is not one taken across the bloc (seen: "How full were Germany's gas
    # storage facilities in July 2022?" -> the level "across the European Union")
    full = "How full were Germany's gas storage facilities?"
    assert misses_the_ask(full, "Gas storage levels across the European Union are close to 65%.")
    assert not misses_the_ask(full, "Germany's storage is 64% full, as levels across the EU rise.")
    assert not misses_the_ask("How much did the U.S.' debt grow?", "Debt across the United States grew 5%.")


def test_a_share_of_one_group_is_not_told_by_a_passage_on_another():
    """Seen (new user): "What share of Catholics say they pray every day?" -> "64%", from "Women are more
    prayerful than men: 64% say they pray every day". A poll's whole population ("What share of Americans
    ...?") or an election's vote is rarely repeated by its sentences. The group may stand in the sentence
    before the figure's (seen: "most veterans voted for Trump. About six-in-ten registered voters who said
    they served in the U.S. military (61%) supported ...", withheld when the sentence alone was read)."""
    from rag.questions import unmet_constraints

    asked = "What share of Catholics say they pray every day?"
    assert unmet_constraints(asked, "Women are more prayerful than men: 64% say they pray every day.", set(), "")
    assert not unmet_constraints(asked, "Among Catholics, 58% say they pray every day.", set(), "")
    veterans = "What share of veterans supported Trump in the 2024 presidential election?"
    passage = ("In his latest run for office, most veterans voted for Trump. About six-in-ten registered voters who "
               "said they served in the U.S. military (61%) supported Trump in the 2024 presidential election.")
    assert not unmet_constraints(veterans, passage, set(), "")
    assert unmet_constraints(veterans, passage.replace("veterans", "women"), set(), "")
    polled, said = "What share of Americans did not support acquiring Greenland?", "Of 1,000 people polled, 53% ..."
    assert not unmet_constraints(polled, said, set(), "Americans on Greenland")  # the names were shown
    assert not unmet_constraints("What percentage of the vote did Ruiz win?", "Ruiz won with 52 percent.", set(), "")


def test_asked_who_was_born_a_sentence_on_a_death_misses_it():
    """Seen (new user): "Which U.S. president was born on July 4, 1826?" -> "James Monroe", from "James
    Monroe, the last Founding Father to become president, also died on July 4"."""
    from rag.questions import misses_the_ask

    asked = "Which president was born on July 4?"
    assert misses_the_ask(asked, "Five years later, James Monroe also died on July 4.")
    assert not misses_the_ask(asked, "One president was born on the Fourth of July (Calvin Coolidge in 1872).")
    assert not misses_the_ask("Who died on July 4, 1831?", "Five years later, James Monroe also died on July 4.")


def test_asked_when_something_came_out_the_day_it_was_announced_is_not_it():
    """RGB: "when was Breath of the Wild released?" -> the day it was announced; "When does the iPhone 11
    release?" -> the day it was unveiled. A release told in other words still answers."""
    from rag.questions import misses_the_ask

    zelda = "when was The Legend of Zelda: Breath of the Wild released?"
    assert misses_the_ask(zelda, "Breath of the Wild was officially announced in a Wii U Direct presentation.")
    assert misses_the_ask("When does the iPhone 11 release?", "The iPhone 11 was unveiled on September 10, 2019.")
    for stated in ("It was released for the PC on March 25, 2014.", "The game hits stores on March 3.",
                   "God of War will be coming to PC on January 14, 2022!", "The season premieres November 15.",
                   "The phone goes on sale on September 20.", "The film arrives in theaters on Friday."):
        assert not misses_the_ask("When will it be released?", stated), stated
    assert not misses_the_ask("When was the Pixel 5a announced?", "It was announced on August 17, 2021.")


def test_a_question_for_the_holder_of_a_role_needs_a_sentence_that_names_the_role():
    """Seen answered: "Who is the mayor of Guayaquil?" -> the country's president, from a sentence on
    Guayaquil; "Who is the lead actress ...?" -> a man nominated for best actor."""
    from rag.questions import misses_the_ask

    assert misses_the_ask("Who is the mayor of Guayaquil?", "President Daniel Noboa visited Guayaquil.")
    assert misses_the_ask("Who is the lead actress in The Shape of Water?", "Kaluuya was nominated for best actor.")
    assert not misses_the_ask("Who is the mayor of Guayaquil?", "Guayaquil's mayor, Aquiles Alvarez, said.")
    assert misses_the_ask("Who was the judge in the privacy case?", "The tabloid's lawyer, White, argued in January.")
    assert not misses_the_ask("Who was the judge in the privacy case?", "The judge, Mark Warby, ruled on Tuesday.")
    assert not misses_the_ask("Who is the CEO of Tesla?", "Tesla chief executive Elon Musk said.")
    assert not misses_the_ask("Who is the new chief executive of Helion?", "Helion's CEO Ana Ruiz said.")
    assert not misses_the_ask("Who is the director of Avatar?", "Avatar: Directed by James Cameron.")
    # institutions' own heads too: "Who is the warden of Evin prison?" was answered with a prisoner's husband
    assert misses_the_ask("Who is the warden of Evin prison?", "Hosein said Hamedi is being held in Evin.")
    assert not misses_the_ask("Who is the warden of Evin prison?", "Evin's warden, Ali Rezaei, said.")
    assert not misses_the_ask("Who is the person behind the app?", "Koum built the app.")
    # the role held in another named body, though the sentence mentions the one asked about
    panasonic = "In March 2021, the outgoing CEO of Panasonic said it would rely less on Tesla."
    assert misses_the_ask("Who is the CEO of Tesla in 2021?", panasonic)
    assert misses_the_ask("Who is the president of FIFA?", "Webb, former president of CONCACAF, a body under FIFA.")
    assert not misses_the_ask("Who is the CEO of Tesla?", "Elon Musk, the CEO of Tesla Inc, said.")
    singer = "Bryan Singer, the credited director of Queen and Freddie Mercury biopic Bohemian Rhapsody."
    assert not misses_the_ask("Who is the director of Bohemian Rhapsody?", singer)
    # the body named before the role: new user, "Who is Dynamo Kyiv's director of football?" was answered
    # with Shakhtar's, from a sentence that named no Dynamo
    srna = "Darijo Srna, FC Shakhtar Donetsk’s director of football, told CNN after his side drew 0-0."
    assert misses_the_ask("Who is Dynamo Kyiv's director of football?", srna)
    assert not misses_the_ask("Who is Shakhtar Donetsk's director of football?", srna)
    assert not misses_the_ask("Who is the director of football at Shakhtar?", srna)
    assert not misses_the_ask("Who is Dynamo Kyiv's coach?", "Dynamo Kyiv's new coach, Ana Ruiz, said.")
    # a body of another kind that carries the asked one's name: the players' union is not the league
    assert misses_the_ask("Who is the president of the NFL?", "Tretter, president of the NFL Players Association.")
    assert misses_the_ask("Who is the CEO of Lego?", "Anne-Birgitte Albrectsen, CEO of the LEGO Foundation, said.")
    assert not misses_the_ask("Who is the president of the Screen Actors Guild?", "Sean Astin, president of the "
                              "Screen Actors Guild, spoke.")
    assert not misses_the_ask("Who is the chair of Lego?", "Ann Lee, chair of Lego and of the LEGO Foundation.")
    # a role of several words is read whole
    assert misses_the_ask("Who is the chief executive of Tesla?", "The chief executive of Panasonic said so.")
    assert misses_the_ask("Who is the chief executive of Tesla?", "Tesla's fire chief said so.")
    # a deputy or a vice president holds another role; an acting holder stands in for the role: seen
    # "Who was the acting Secretary of Homeland Security?" -> the secretary confirmed days later
    acting = "Who was the acting Secretary of Homeland Security in January 2025?"
    assert misses_the_ask(acting, "Kristi Noem, who was confirmed Saturday as secretary of Homeland Security.")
    assert not misses_the_ask(acting, "Homeland Security Acting Secretary Benjamine Huffman expanded it.")
    assert not misses_the_ask(acting, "Benjamine Huffman, the interim secretary, said so.")
    assert misses_the_ask("Who is the president of Ghana?", "Vice President Mahamudu Bawumia of Ghana said.")
    assert misses_the_ask("Who is the president of Ghana?", "Ghana's vice-president said.")
    assert not misses_the_ask("Who is the president of Ghana?", "Ghana's president, John Mahama, said.")
    assert not misses_the_ask("Who is the deputy mayor of Quito?", "Quito's deputy mayor, Ana Paz, said.")
    assert misses_the_ask("Who is the deputy mayor of Quito?", "Quito's mayor, Pabel Muñoz, said.")
    # the roles of schools, counties and agencies too: a board's chair is not the superintendent
    assert misses_the_ask("Who is the superintendent of Asheville City Schools?", "Board Chair James Carter said.")
    assert not misses_the_ask("Who is the sheriff of Maui County?", "Maui County Sheriff John Pelletier said.")
    # the body may stand before the role ("Kroger's interim CEO"), and the title in AP's short form
    assert not misses_the_ask("Who is Kroger's interim CEO?", "Interim CEO Ron Sargent said so.")
    assert misses_the_ask("Who is Kroger's interim CEO?", "Kroger CEO Rodney McMullen quit on March 3.")
    assert not misses_the_ask("Who is the governor of Texas?", "Texas Gov. Greg Abbott said.")
    assert misses_the_ask("Who is the governor of Texas?", "Texas Lt. Gov. Dan Patrick said.")
    assert not misses_the_ask("Who is the lieutenant governor of Texas?", "Texas Lt. Gov. Dan Patrick said.")
    # asked for the next holder, the one in office is none: seen "Who is Shell's next CEO?" -> the CEO
    # stepping down
    nxt = "Who is Shell's next CEO?"
    assert misses_the_ask(nxt, "Shell CEO Ben Van Beurden, who will step down at the end of this year, spoke.")
    assert not misses_the_ask(nxt, "Wael Sawan will succeed Ben van Beurden as Shell CEO.")


def test_asked_who_holds_a_role_now_a_former_holder_is_none():
    """Seen as a user: "Who is the governor of Velmar?" -> the governor named only as "appointed by former
    Republican Gov. Tomas Lindqvist"."""
    from rag.questions import misses_the_ask

    bryant = "Incumbent Dawn Beam was appointed by former Republican Gov. Phil Bryant in 2019."
    assert misses_the_ask("Who is the governor of Mississippi?", bryant)
    assert not misses_the_ask("Who was the governor of Mississippi in 2019?", bryant)
    assert not misses_the_ask("Who is the former governor of Mississippi?", bryant)
    assert misses_the_ask("Who is the current governor of Mississippi?", bryant)  # "current" asks now too
    assert not misses_the_ask("Who is the governor of Mississippi?", "Former Gov. Phil Bryant met Gov. Tate Reeves.")
    assert misses_the_ask("Who is the mayor of Detroit?", "Collins was mentored by then-Mayor Coleman Young.")


def test_a_deputy_or_stand_in_is_read_at_its_rank_of_two_words_and_a_word_before_the_role():
    """Seen answered: "Who is the deputy prime minister of Jamaica?" -> a minister of local government (a
    two-word rank was no role question); "Deputy Prime Minister Oliver Dowden" is no prime minister."""
    from rag.questions import misses_the_ask

    deputy_pm = "Who is the deputy prime minister of Jamaica?"
    assert misses_the_ask(deputy_pm, "Desmond McKenzie, Jamaica's minister of local government, said so.")
    assert not misses_the_ask(deputy_pm, "Jamaica's Deputy Prime Minister Horace Chang said so.")
    interim = "Who is the interim U.S. attorney for New Jersey?"
    assert not misses_the_ask(interim, "Interim U.S. Attorney Alina Habba said in a statement that she acted.")
    assert misses_the_ask("Who is the prime minister of Britain?", "Deputy Prime Minister Oliver Dowden said.")
    assert misses_the_ask("Who is the police chief of Tulsa?", "Tulsa Deputy Police Chief Eric Dalgleish said.")
    assert not misses_the_ask("Who is the police chief of Tulsa?", "Tulsa Police Chief Wendell Franklin said.")
    assert not misses_the_ask("Who is the prime minister of Britain?", "The vice chair met Prime Minister Rishi Sunak.")


def test_an_answer_names_the_holder_of_the_role_in_the_asked_body_not_the_one_beside_it():
    """Seen answered: "Who is the CEO of Kickstarter?" -> "Hamdi Ulukaya, founder and CEO of Chobani", from a
    list of speakers that also gives Kickstarter's."""
    from rag.questions import names_another_holder

    speakers = ("Speakers include Alexis Ohanian, founder of Seven Seven Six; Everette Taylor, CEO of Kickstarter; "
                "Hamdi Ulukaya, founder and CEO of Chobani; Jen Wong, COO of Reddit.")
    asked = "Who is the CEO of Kickstarter?"
    assert names_another_holder(asked, "Hamdi Ulukaya, founder and CEO of Chobani [1].", speakers)
    assert not names_another_holder(asked, "Everette Taylor [1].", speakers)
    assert not names_another_holder(asked, "The CEO of Kickstarter is Everette Taylor [1].", speakers)
    assert not names_another_holder("Who is the CEO of Chobani?", "Hamdi Ulukaya [1].", speakers)
    # no role beside the name: nothing to tell
    assert not names_another_holder(asked, "Everette Taylor [1].", "Everette Taylor runs Kickstarter.")


def test_a_role_that_titles_another_name_is_not_the_answers():
    """Seen answered: "Who is the governor of Mississippi?" -> "Dawn Beam", citing "Incumbent Dawn Beam ... was
    appointed by former Republican Gov. Phil Bryant": the role word is there, as another man's title."""
    from rag.questions import names_another_holder

    asked = "Who is the governor of Mississippi?"
    appointed = "Incumbent Dawn Beam, a Republican from Sumrall, was appointed by former Republican Gov. Phil Bryant."
    assert names_another_holder(asked, "Dawn Beam [1].", appointed)
    assert not names_another_holder(asked, "Phil Bryant [1].", appointed)
    assert not names_another_holder(asked, "The governor was Bryant [1].", appointed)
    minister = "\"It was good,\" Transport Minister Makame Mbarawa said at the funeral of Juma Said."
    assert names_another_holder("Who is Tanzania's transport minister?", "Juma Said [1].", minister)
    # a mention of the role that titles nobody may be the answer's; a weekday after it is no name
    assert not names_another_holder(asked, "Dawn Beam [1].", "Dawn Beam, the governor, met Gov. Phil Bryant.")
    assert not names_another_holder(asked, "Dawn Beam [1].", "The Governor Tuesday named Dawn Beam.")
    # a possessive after the titled name, or a plural role that titles several
    assert not names_another_holder("Who is the CEO of Apple?", "Tim Cook [1].", "Apple CEO Tim Cook's plan won.")
    assert not names_another_holder(asked, "Tate Reeves [1].", "Governors Kay Ivey and Tate Reeves met.")
    mayors = ("“America’s mayors are driving solutions,” said Milwaukee Mayor Cavalier Johnson, joined by Miami "
              "Mayor Francis Suarez and New York City Council member Joseph Borelli.")
    assert names_another_holder("Who is the mayor of New York City?", "Joseph Borelli [1].", mayors)
    # RGB: "Who is the lead actress in La La Land?" -> Emma Stone: the Oscar is no holder
    assert not names_another_holder("Who is the lead actress in La La Land?", "Emma Stone [1].",
                                    "Emma Stone has won the best actress Oscar for her role in La La Land.")


def test_the_winner_of_a_stage_or_a_game_is_not_the_winner_asked_for():
    """Seen answered: "Who won the 2021 Tour de France?" -> "Mark Cavendish won the 2021 Tour de France",
    citing "Mark Cavendish wins stage 13 of the Tour de France, his fourth victory in this year's race"."""
    from rag.questions import won_a_part

    tour = "Mark Cavendish wins stage 13 of the Tour de France, his fourth victory in this year's race."
    assert won_a_part("Who won the 2021 Tour de France?", "Mark Cavendish won the 2021 Tour de France [1].", tour)
    assert won_a_part("Who won the World Series?", "The Dodgers [1].", "The Dodgers won Game 3 of the World Series.")
    assert won_a_part("Who won the US Open?", "Osaka [1].", "Naomi Osaka, who won her first-round match, lost.")
    # the part asked about, the whole won, or an edition / term (the event itself) are answers
    assert not won_a_part("Who won stage 13 of the Tour de France?", "Mark Cavendish [1].", tour)
    assert not won_a_part("Who won the Tour de France?", "Tadej Pogacar [1].", "Tadej Pogacar won the Tour de France.")
    assert not won_a_part("Who won the 2020 election?", "Joe Biden [1].", "Joe Biden won a second term.")
    assert not won_a_part("When did the Tour start?", "Mark Cavendish [1].", tour)  # not a who-won question


def test_a_how_many_question_needs_a_sentence_that_counts_the_thing_asked_about():
    """Seen answered with whatever number stood near the subject: "How many passengers have travelled
    through the tunnel?" -> "The tunnel cost 3.1 billion euros"."""
    from rag.questions import misses_the_ask

    assert misses_the_ask("How many passengers have used the tunnel?", "The tunnel cost 3.1 billion euros.")
    assert misses_the_ask("How many temporary workers built the plant?", "It supplies 120,000 homes.")
    assert not misses_the_ask("How many votes did she get?", "She won 44 percent of the vote.")
    assert not misses_the_ask("How many Riverton residents left?", "About 1,200 residents were evacuated.")
    # the counted thing may come after two words that qualify it, or after a participle
    assert not misses_the_ask("How many emperor penguin breeding pairs lost chicks?",
                              "About 10,000 breeding pairs likely saw all their chicks die.")
    assert misses_the_ask("How many registered voters turned out?", "Turnout reached 61% on Sunday.")
    # the missing are told as missing: a death toll is another count
    assert misses_the_ask("How many people remain missing after the storm?", "The death toll has risen to 76.")
    assert not misses_the_ask("How many people remain missing after the storm?", "At least 29 people are missing.")
    assert not misses_the_ask("How many registered voters turned out?", "Some 4.2 million voters cast ballots.")
    # a count named by its verb alone is said in too many ways to ask for
    assert not misses_the_ask("How many died in the flood?", "The flood killed 22.")
    assert not misses_the_ask("How many people marched in Riverton?", "About 3,000 took to the streets.")


def test_people_in_general_are_counted_by_what_was_done_to_them():
    """"How many people were injured when the ferry ran aground?" was answered "214 people [1]" from
    "... ran aground with 214 people on board"."""
    from rag.questions import misses_the_ask

    ferry = "How many people were injured when the ferry ran aground?"
    assert misses_the_ask(ferry, "It ran aground with 214 people on board.")
    assert misses_the_ask("How many people were killed in the clashes?", "Four boys went missing; 12 charged.")
    assert misses_the_ask("How many people were evacuated?", "About 1,200 people live in the district.")
    # deaths and injuries in the words news use for them
    for stated in ("The clashes left 22 dead.", "22 were killed.", "The death toll rose to 22.", "Killing 22."):
        assert not misses_the_ask("How many people were killed in the clashes?", stated), stated
    for stated in ("Three were hurt.", "Three were injured.", "Three suffered injuries.", "Three were wounded."):
        assert not misses_the_ask("How many people were injured?", stated), stated
    assert not misses_the_ask("How many people have been evacuated?", "Officials evacuated 1,850 residents.")
    # falling ill, in the words of outbreak reports; seen answered from the size of a meat recall
    sick = "How many people fell ill from the recalled meat?"
    assert misses_the_ask(sick, "BrucePac announced its nearly 10 million-pound recall on Wednesday.")
    for stated in ("68 people have been sickened.", "61 people became ill.", "Nine people were infected."):
        assert not misses_the_ask(sick, stated), stated
    # the counted thing itself in those words: "how many deaths" is told by "killing 62 people"
    deaths = "How many deaths did the 1989 earthquake cause?"
    assert not misses_the_ask(deaths, "The 1989 quake struck the Santa Cruz Mountains, killing 62 people.")
    assert misses_the_ask(deaths, "The 1989 quake left 12,000 people homeless.")
    assert misses_the_ask("How many diesel engines were sold?", "The crash killed 12.")  # "diesel" is no death


def test_where_when_or_who_of_what_was_done_needs_a_sentence_that_tells_it():
    """Seen answered: "Where was the organizer of the Taiwan water park party arrested?" -> "Taipei, Taiwan [3]"
    from "Police recommended criminal charges against the organizer ... in suburban Taipei": the place is
    there, the arrest is not. Only verbs of a family news tell in known ways are looked for."""
    from rag.questions import misses_the_ask

    arrested = "Where was the organizer of the party arrested?"
    assert misses_the_ask(arrested, "Police recommended charges against the organizer at the park in Taipei.")
    for stated in ("The organizer was arrested in Taipei.", "Police detained the organizer in Taipei.",
                   "The organizer was taken into custody in Taipei."):
        assert not misses_the_ask(arrested, stated), stated
    died = "In which town did a man die during the typhoon?"
    assert misses_the_ask(died, "The typhoon made landfall in Kagoshima on Sunday.")
    for stated in ("A man was confirmed dead in the city of Miyakonojo.", "A mudslide killed a man in Mimata."):
        assert not misses_the_ask(died, stated), stated
    assert misses_the_ask("When were the two children killed?", "Two children were hurt by falling trees Monday.")
    assert not misses_the_ask("Who was injured in the crash?", "The driver, Ana Ruiz, was hurt.")
    # a verb of no family is left to the model: "opened" is told as "launched", "inaugurated", ...
    assert not misses_the_ask("When was the bridge opened?", "The bridge was inaugurated in 2019.")
    # a participle that describes the subject is no act asked about
    assert not misses_the_ask("When did the evacuated residents return?", "Residents were allowed home on Tuesday.")


def test_any_counted_thing_is_counted_by_what_was_done_to_it():
    """Seen answered: "How many gang members were arrested after the clashes?" -> "Over a dozen members
    of the military are being investigated ..." (the counted word is there, the arrest is not)."""
    from rag.questions import misses_the_ask

    asked = "How many gang members were arrested after the clashes?"
    assert misses_the_ask(asked, "Over a dozen members of the military are being investigated.")
    for stated in ("Police arrested 40 gang members.", "40 gang members were detained.", "40 members in custody."):
        assert not misses_the_ask(asked, stated), stated
    assert not misses_the_ask("How many Riverton residents were evacuated?", "1,850 residents fled their homes.")
    assert not misses_the_ask("How many firefighters were treated for hypothermia?", "Six firefighters were treated.")
    assert not misses_the_ask("How many goats were fed?", "The farm keeps 40 goats.")  # "fed": too short to ask
    # what will be done to them: seen "How many ATF agents will be reassigned?" -> the ATF's whole staff
    reassigned = "How many ATF agents will be reassigned to immigration enforcement?"
    assert misses_the_ask(reassigned, "The ATF had about 2,500 special agents in 2022.")
    assert not misses_the_ask(reassigned, "About 200 ATF agents will be reassigned, officials said.")
    assert misses_the_ask("How many workers are being furloughed?", "The plant employs 900 workers.")
    assert not misses_the_ask("How many workers are being furloughed?", "It furloughed 300 workers.")
    # a chain's stores are told as its locations: seen withheld, "Kroger is set to close 60 locations"
    assert not misses_the_ask("How many stores does Kroger plan to close?", "Kroger will close 60 locations.")
    assert misses_the_ask("How many stores does Kroger plan to close?", "Kroger employs 409,000 workers.")
    # a share of a group counts its part: "63% of Americans are Christian" is not the Protestants' share
    protestants = "What share of Americans are Protestants, according to the Pew study?"
    assert misses_the_ask(protestants, "About 63% of Americans are Christian, according to the Pew Research Center.")
    assert not misses_the_ask(protestants, "Forty percent of Americans are Protestants today.")
    # a compound is told by its last part
    assert not misses_the_ask("How many wildfires were burning?", "The number of fires jumped to 560, Newsom said.")
    assert not misses_the_ask("How many earthquakes has Tennessee recorded?", "Tennessee recorded 21 quakes.")
    assert misses_the_ask("How many wildfires were burning?", "Firefighters worked 72-hour shifts.")
    assert misses_the_ask("How many firefighters died in the flood?", "Two firefighters were treated for hypothermia.")
    assert not misses_the_ask("How many firefighters died in the flood?", "The flood killed two firefighters.")


def test_asked_when_something_begins_a_sentence_on_when_it_ends_is_no_answer():
    """Seen answered: "When will the Harwick maternity ward reopen?" -> "will close in January"; "When will
    the second phase be completed?" -> "would begin in 2027"."""
    from rag.questions import misses_the_ask

    assert misses_the_ask("When will the maternity ward reopen?", "The hospital will close its ward in January.")
    assert misses_the_ask("When will the second phase be completed?", "A second phase would begin in 2027.")
    assert misses_the_ask("When did the strike start?", "The strike ended on Friday after a vote.")
    assert not misses_the_ask("When did the strike end?", "The strike ended on Friday after a vote.")
    assert not misses_the_ask("When will the ward reopen?", "Closed in 2020, the ward reopens in May.")
    assert not misses_the_ask("When did the strike begin?", "Dockworkers walked off the job on Monday.")
    assert not misses_the_ask("When was OpenAI founded?", "OpenAI was founded in 2015 and closed its lab.")
    assert not misses_the_ask("When will the tunnel open?", "It will be endorsed and open in 2027.")


def test_a_question_on_one_instalment_is_not_answered_by_a_sentence_on_another():
    from rag.questions import misses_the_ask

    # the first of a ranking is not the second: seen "What was the largest Powerball jackpot ever?" ->
    # "$1.8 billion, the second-largest lottery prize in U.S. history"
    largest = "What was the largest Powerball jackpot ever?"
    assert misses_the_ask(largest, "They won $1.8 billion, the second-largest lottery prize in U.S. history.")
    assert not misses_the_ask(largest, "The largest jackpot, $2.04 billion, came before this second-largest one.")
    assert not misses_the_ask(largest, "The $2.04 billion prize of 2022 remains the record.")  # left to the others
    assert misses_the_ask("What is the second-busiest airport?", "Atlanta is the busiest airport in the world.")
    assert not misses_the_ask("What is the 2nd busiest airport?", "Dubai is the second busiest airport.")

    first = "When will the first season of The Blacklist premiere?"
    assert misses_the_ask(first, "The tenth and final season of The Blacklist premiered on February 26.")
    assert not misses_the_ask(first, "The Blacklist premiered on September 23, 2013.")  # no season named
    # the same instalment, however numbered
    assert not misses_the_ask("When does season 4 of The Crown premiere?", "The fourth season premieres Nov. 15.")
    assert not misses_the_ask("How much will the second phase cost?", "Phase two will cost 90 million, phase one 410.")
    assert misses_the_ask("How much will the second phase cost?", "The first phase cost 410 million dollars.")
    # a runoff is a vote's second round. Seen answered: "What share of the first-round vote did Voss get?"
    # -> the runoff's 54 percent; "What percentage did Duran get in the runoff?" -> the first round's 36
    assert misses_the_ask("What share of the first-round vote did Voss get?", "Voss won the runoff with 54 percent.")
    assert misses_the_ask("What percentage did Duran get in the runoff?", "Voss led the first round, Duran had 36%.")
    assert not misses_the_ask("What percentage did Duran get in the run-off?", "In the second round Duran had 46%.")
    assert not misses_the_ask("What share did Voss get in the first round?", "Voss led the first-round vote with 41%.")


def test_a_role_asked_by_its_portfolio_or_body_before_it_is_a_role_question():
    """Seen answered: "Who is the treasury secretary?" -> "Andy Baukol, Department of Treasury" (a line of a
    list of officials, no secretary in it): a role that ends the question was no role question at all."""
    from rag.questions import misses_the_ask, names_another_holder, titled_holder

    treasury = "Who is the treasury secretary?"
    assert misses_the_ask(treasury, "Andy Baukol, Department of Treasury")
    assert not misses_the_ask(treasury, "Treasury Secretary Steven Mnuchin has been negotiating with Democrats.")
    assert titled_holder(treasury).search("Treasury Secretary Steven Mnuchin has been negotiating.")
    assert not titled_holder(treasury).search("Labor Secretary Julie Su has been negotiating.")
    assert misses_the_ask("Who is the Tesla CEO?", "Elon Musk, the CEO of SpaceX, spoke on Monday.")
    assert not misses_the_ask("Who is the Tesla CEO?", "Tesla CEO Elon Musk spoke on Monday.")
    assert not misses_the_ask("Who is the Tesla founder's brother?", "Kimbal Musk spoke on Monday.")
    # the role's word is no part of the body's name: "OpenAI CEO" asks of OpenAI
    openai = "Who is the OpenAI CEO?"
    assert not misses_the_ask(openai, "Although OpenAI's CEO Sam Altman is the industry figure, Wang is rising.")
    assert not names_another_holder(openai, "Sam Altman [1].", "Sam Altman, CEO of OpenAI, spoke.")
    assert names_another_holder(openai, "Masayoshi Son [1].", "Masayoshi Son, CEO of SoftBank, spoke.")
    assert not misses_the_ask("Who is Ohio's state health director?", "Dr. Ann Roe will lead the Ohio Department.")


def test_a_name_titled_with_the_asked_role_is_found_at_the_asked_rank():
    """What the evidence looks for when asked who holds a role: the role at its rank, right before a name."""
    from rag.questions import titled_holder

    minister = titled_holder("Who is Tanzania's transport minister?")
    assert minister.search("“It was good,” Transport Minister Makame Mbarawa said on Monday.")
    assert not minister.search("Prime Minister Kassim Majaliwa said officials recovered the bodies.")
    assert not minister.search("The transport minister said the airport would reopen.")  # no name
    assert titled_holder("Who is the CEO of Big Lots?").search("Big Lots president and CEO Bruce Thorn said so.")
    # a rank of two words: seen "Who is Bermuda's national security minister?" find no titled name
    security = titled_holder("Who is Bermuda's national security minister?")
    assert security.search("“We will act,” National Security Minister Michael Weeks told the House.")
    assert not security.search("Finance Minister Curtis Dickinson told the House.")
    assert not titled_holder("Who is the deputy prime minister of Britain?").search("Prime Minister Rishi Sunak said.")
    assert titled_holder("Who won the race?") is None
