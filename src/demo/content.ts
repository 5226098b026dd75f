// The demo magazine, "The Harbinger": invented people, invented but plausible
// stories, written fresh for the Harbinger platform. Loaded by seed-demo.
import { rt } from '../lib/rich-text.js';
import type { DemoArticle, DemoNewsroom, DemoPerson, DemoSection } from './content-types.js';

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

export const sections: DemoSection[] = [
  {
    slug: 'human-rights',
    name: 'Human Rights',
    description: 'Reporting on freedom, justice and equality, and on the people who defend them when they are under threat.',
  },
  {
    slug: 'society',
    name: 'Society',
    description: 'How we live, learn and vote: schools, families, cities and the rules that shape everyday life for young people.',
  },
  {
    slug: 'international-affairs',
    name: 'International Affairs',
    description: 'Diplomacy, elections and conflict explained by young correspondents who follow the world beyond their own borders.',
  },
  {
    slug: 'culture',
    name: 'Culture',
    description: 'Books, films, music, art and the scenes teenagers are building for themselves, online and off.',
  },
  {
    slug: 'climate',
    name: 'Climate',
    description:
      'The climate crisis and the environment, from rising seas to plastic talks, told through evidence and the people living it.',
  },
];

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------
// A: marta-quiroga     Human Rights Section Editor (contributor 2022, promoted twice in 2023)
// B: elif-demirci      former Editor-in-chief (2022-23), two locations
// C: aarav-kulkarni    Editor-in-chief since 2023-09-01
// D: ruth-abernethy    Managing Editor, adult mentor
// E: tavita-leaupepe   Climate Section Editor
// F: amara-nwosu       staff writer, born 2008-03-15
// G: yuki-hartmann     contributor, born 2008-02-29 (leap day)
// H: farah-haddad      International Affairs Correspondent

export const people: DemoPerson[] = [
  {
    slug: 'marta-quiroga',
    name: 'Marta Quiroga',
    birthDate: '2007-06-14',
    birthplace: 'Rosario, Argentina',
    locations: ['Buenos Aires, Argentina'],
    languages: ['Spanish', 'English', 'Portuguese'],
    bio: rt.doc(
      rt.p(
        'Marta Quiroga was born in Rosario, Argentina, in 2007 and moved to Buenos Aires as a child, where she now lives and goes to school. She is interested in international law, the history of protest movements in Latin America and the way courts protect, or fail to protect, young people.',
      ),
      rt.p(
        'She joined The Harbinger as a contributor in 2022. In 2023 she was promoted twice: first to Human Rights Correspondent in February, then to Human Rights Section Editor in September.',
      ),
      rt.p('Outside the newsroom she captains her school’s debating team and is slowly, noisily learning the bandoneón.'),
    ),
    roles: [
      { role: 'contributor', startsOn: '2022-03-01', endsOn: '2023-02-01' },
      { role: 'correspondent', section: 'human-rights', startsOn: '2023-02-01', endsOn: '2023-09-01' },
      { role: 'section_editor', section: 'human-rights', startsOn: '2023-09-01', endsOn: null },
    ],
    hue: 12,
  },
  {
    slug: 'elif-demirci',
    name: 'Elif Demirci',
    birthDate: '2005-11-03',
    birthplace: 'Izmir, Turkey',
    locations: ['Izmir, Turkey', 'Edinburgh, United Kingdom'],
    languages: ['Turkish', 'English', 'German'],
    bio: rt.doc(
      rt.p(
        'Elif Demirci was born in Izmir, Turkey, in 2005. She now divides her time between Izmir and Edinburgh, where she studies politics and international relations at university.',
      ),
      rt.p(
        'She joined The Harbinger as a contributor in 2020, writing about migration and local government, and became a staff writer a year later. From September 2022 to August 2023 she was the magazine’s Editor-in-chief, and she still edits the occasional long read.',
      ),
      rt.p('She is convinced that every story can be improved by cutting its second paragraph.'),
    ),
    roles: [
      { role: 'contributor', startsOn: '2020-06-01', endsOn: '2021-09-01' },
      { role: 'staff_writer', startsOn: '2021-09-01', endsOn: '2022-09-01' },
      { role: 'editor_in_chief', startsOn: '2022-09-01', endsOn: '2023-08-31' },
    ],
    hue: 205,
  },
  {
    slug: 'aarav-kulkarni',
    name: 'Aarav Kulkarni',
    birthDate: '2006-04-22',
    birthplace: 'Pune, India',
    locations: ['Bengaluru, India'],
    languages: ['English', 'Hindi', 'Marathi'],
    bio: rt.doc(
      rt.p(
        'Aarav Kulkarni was born in Pune, India, in 2006 and lives in Bengaluru. He is interested in elections, public data and the economics of education.',
      ),
      rt.p(
        'He joined The Harbinger as a contributor in 2021 and was promoted to Society Section Editor in 2022. He has been the magazine’s Editor-in-chief since September 2023.',
      ),
    ),
    roles: [
      { role: 'contributor', startsOn: '2021-02-01', endsOn: '2022-09-01' },
      { role: 'section_editor', section: 'society', startsOn: '2022-09-01', endsOn: '2023-09-01' },
      { role: 'editor_in_chief', startsOn: '2023-09-01', endsOn: null },
    ],
    hue: 145,
  },
  {
    slug: 'ruth-abernethy',
    name: 'Ruth Abernethy',
    birthDate: '1984-09-17',
    birthplace: 'Aberdeen, United Kingdom',
    locations: ['London, United Kingdom'],
    languages: ['English', 'French'],
    bio: rt.doc(
      rt.p(
        'Ruth Abernethy was born in Aberdeen, Scotland, in 1984 and lives in London. She spent twelve years as a reporter and sub-editor on regional newspapers before training as a secondary school teacher.',
      ),
      rt.p(
        'She has been The Harbinger’s Managing Editor since 2021. As the magazine’s adult mentor she looks after the stylebook, safeguarding and the training of new editors, and she tries very hard not to rewrite anyone’s copy.',
      ),
    ),
    roles: [{ role: 'managing_editor', startsOn: '2021-01-01', endsOn: null }],
    hue: 280,
  },
  {
    slug: 'tavita-leaupepe',
    name: 'Tavita Leaupepe',
    birthDate: '2007-01-08',
    birthplace: 'Apia, Samoa',
    locations: ['Apia, Samoa'],
    languages: ['Samoan', 'English'],
    bio: rt.doc(
      rt.p(
        'Tavita Leaupepe was born in Apia, Samoa, in 2007 and still lives there. He is interested in ocean science, coastal communities and climate negotiations.',
      ),
      rt.p('He joined The Harbinger as a contributor in 2022 and was promoted to Climate Section Editor in January 2024.'),
      rt.p('When he is not editing, he is usually in the water, counting fish for a reef-monitoring project run by volunteers.'),
    ),
    roles: [
      { role: 'contributor', startsOn: '2022-10-01', endsOn: '2024-01-15' },
      { role: 'section_editor', section: 'climate', startsOn: '2024-01-15', endsOn: null },
    ],
    hue: 175,
  },
  {
    slug: 'amara-nwosu',
    name: 'Amara Nwosu',
    birthDate: '2008-03-15',
    birthplace: 'Enugu, Nigeria',
    locations: ['Lagos, Nigeria'],
    languages: ['English', 'Igbo', 'French'],
    bio: rt.doc(
      rt.p('Amara Nwosu was born in Enugu, Nigeria, in 2008 and lives in Lagos. She writes about schools, sport and gender equality.'),
      rt.p('She joined The Harbinger as a contributor in 2023 and became a staff writer in September 2024.'),
    ),
    roles: [
      { role: 'contributor', startsOn: '2023-06-01', endsOn: '2024-09-01' },
      { role: 'staff_writer', startsOn: '2024-09-01', endsOn: null },
    ],
    hue: 32,
  },
  {
    slug: 'yuki-hartmann',
    name: 'Yuki Hartmann',
    birthDate: '2008-02-29',
    birthplace: 'Hamburg, Germany',
    locations: ['Hamburg, Germany'],
    languages: ['German', 'Japanese', 'English'],
    bio: rt.doc(
      rt.p(
        'Yuki Hartmann was born in Hamburg, Germany, in 2008 and lives there with a German father, a Japanese mother and a very old cat. He is interested in film, independent publishing and local politics.',
      ),
      rt.p('He joined The Harbinger as a contributor in 2023 and was a member of the magazine’s 2024 election pop-up newsroom.'),
    ),
    roles: [{ role: 'contributor', startsOn: '2023-11-01', endsOn: null }],
    hue: 320,
  },
  {
    slug: 'farah-haddad',
    name: 'Farah Haddad',
    birthDate: '2007-10-05',
    birthplace: 'Amman, Jordan',
    locations: ['Amman, Jordan'],
    languages: ['Arabic', 'English', 'French'],
    bio: rt.doc(
      rt.p('Farah Haddad was born in Amman, Jordan, in 2007 and lives there. She follows diplomacy, migration and elections.'),
      rt.p('She joined The Harbinger as a contributor in 2022 and was promoted to International Affairs Correspondent in September 2023.'),
      rt.p('She has never missed a session of her school’s model United Nations club, and has chaired most of them.'),
    ),
    roles: [
      { role: 'contributor', startsOn: '2022-09-01', endsOn: '2023-09-01' },
      { role: 'correspondent', section: 'international-affairs', startsOn: '2023-09-01', endsOn: null },
    ],
    hue: 95,
  },
];

// ---------------------------------------------------------------------------
// Newsrooms
// ---------------------------------------------------------------------------

export const newsrooms: DemoNewsroom[] = [
  {
    slug: 'womens-rights-newsroom',
    name: 'Women’s Rights Newsroom',
    description: 'A standing group of young reporters covering gender equality, from school bathrooms to football pitches to parliaments.',
    place: 'Worldwide',
    kind: 'standing',
    startsOn: '2023-09-01',
    endsOn: null,
    members: [
      { person: 'marta-quiroga', role: 'lead', startsOn: '2023-09-01', endsOn: null },
      { person: 'farah-haddad', role: 'member', startsOn: '2023-09-01', endsOn: null },
      { person: 'elif-demirci', role: 'member', startsOn: '2023-09-01', endsOn: '2024-06-30' },
      { person: 'amara-nwosu', role: 'member', startsOn: '2024-01-15', endsOn: null },
    ],
  },
  {
    slug: 'election-year-2024',
    name: 'Election Year 2024',
    description:
      'A pop-up newsroom for the year when half the world went to the polls, reporting on first-time voters and young candidates.',
    place: 'Online',
    kind: 'pop-up',
    startsOn: '2024-03-01',
    endsOn: '2024-11-30',
    members: [
      { person: 'aarav-kulkarni', role: 'lead', startsOn: '2024-03-01', endsOn: '2024-11-30' },
      { person: 'farah-haddad', role: 'member', startsOn: '2024-03-01', endsOn: '2024-11-30' },
      { person: 'yuki-hartmann', role: 'member', startsOn: '2024-03-01', endsOn: '2024-11-30' },
    ],
  },
];

// ---------------------------------------------------------------------------
// Articles
// ---------------------------------------------------------------------------

export const articles: DemoArticle[] = [
  // -- The anatomy article: one author, edited by the former Editor-in-chief. --
  {
    slug: 'regional-court-orders-kestria-to-free-detained-student-protesters',
    status: 'published',
    title: 'Regional court orders Kestria to free detained student protesters: what happens now?',
    dek: 'A regional human rights court has ruled that the months-long detention of 37 students arrested after protests over university fees breached their rights, and has ordered the release of those still held.',
    bylinePhrase: 'reports on the ruling and how the government and campaigners have responded',
    section: 'human-rights',
    tags: ['Courts', 'Protest', 'Education'],
    authors: ['marta-quiroga'],
    editors: ['elif-demirci'],
    access: 'free',
    publishedAt: '2024-02-02T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a row of empty lecture-hall seats under a set of balanced scales, in muted blues and greys',
      caption: 'Student seats and the scales of justice, illustrated for a ruling on detained protesters, January 2024',
      creditCreator: 'Ilka Brandvold',
      creditSource: 'Northlight Studio',
      hue: 214,
    },
    body: rt.doc(
      rt.p(
        'The Regional Court of Human Rights ruled on January 30 that the government of Kestria unlawfully held 37 university students in pre-trial detention for up to nine months after protests over tuition fees in the capital, Orvane, last spring.',
      ),
      rt.p(
        'In a unanimous judgment, the court’s seven judges found that Kestria had violated the students’ right to liberty, their right to a fair and speedy trial and their freedom of peaceful assembly. The court ordered the authorities to release those still held within 30 days and to pay each student compensation.',
      ),
      rt.p(
        'The case was brought on behalf of the students by their families and the legal charity Open Campus Alliance, which argued that the detentions were designed to discourage young people from protesting rather than to prevent any crime.',
      ),
      rt.p(
        'Of the 37 students named in the case, 22 remain in detention, according to the alliance. The youngest was 17 at the time of arrest; most were in their first or second year of university.',
      ),
      rt.p(
        'Among them is Elena, now 19, who was arrested two days after her eighteenth birthday while handing out leaflets near the parliament. Her brother, who spoke to The Harbinger by phone, said she had shared a cell built for four people with seven others and was allowed one family visit a month. The family asked that their surname not be used.',
      ),
      rt.h2('How the protests began'),
      rt.p(
        'The demonstrations started in April 2023, when Kestria’s parliament approved a law allowing public universities to triple their tuition fees over three years. Student unions called the law “a tax on being young” and organised sit-ins at campuses in Orvane and three other cities.',
      ),
      rt.p(
        'Most of the protests were peaceful, according to observers from the national ombudsman’s office. On May 9, however, a march towards the parliament building ended in scuffles with police, and more than 200 people were arrested that evening. Most were released within days, but dozens were charged with “organising mass unrest”, an offence that carries a sentence of up to eight years in prison.',
      ),
      rt.p(
        'Prosecutors asked for the students to be held until their trials, arguing that they might leave the country or contact witnesses. Judges in Orvane agreed in almost every case and extended the detention orders every two months, often in hearings that lasted only a few minutes.',
      ),
      rt.p(
        'Concerns were raised almost immediately inside Kestria. In a report published in August, the national ombudsman described the detention hearings as “a formality” and said several students had not been allowed to see a lawyer until their second day in custody. The government rejected the report, saying the ombudsman had gone beyond her mandate.',
      ),
      rt.h2('What happens next?'),
      rt.p(
        'Kestria’s Ministry of Justice said it “respects the role of the court” but would study the judgment before deciding how to respond. Kestria has accepted the regional court’s authority since 2004 and, under the treaty it signed, is legally bound to comply with its final rulings.',
      ),
      rt.quote(
        '“The government takes its international commitments seriously. At the same time, the events of May 9 were serious, and the courts of Kestria must be allowed to complete their work,” ministry spokesperson Teodor Markan told reporters in Orvane on January 31.',
      ),
      rt.p(
        'Campaigners say that answer is not good enough. Ilse Varga, a spokesperson for Open Campus Alliance, told ',
        rt.em('The Harbinger'),
        ' that the ruling left “no room for interpretation”.',
      ),
      rt.quote(
        '“The court has said clearly that these young people should never have spent months behind bars without a trial. Every day the government waits is another day it is breaking the law,” she said.',
      ),
      rt.p(
        'The students’ lawyer, Miriam Oduya, said her clients had been held in overcrowded cells and that several had missed their end-of-year exams. “Some of them have lost their university places. Compensation cannot give them back a year of their lives,” she said.',
      ),
      rt.h2('Why the ruling matters beyond Kestria'),
      rt.p(
        'Legal experts say the judgment could influence how other countries in the region treat young protesters. The court wrote that pre-trial detention must be “the exception, not the rule”, particularly for people under 25, and that judges must give individual reasons every time they extend it.',
      ),
      rt.p('Dr Anna Leclerc, a lecturer in international human rights law, said the court had rarely been so direct with a member state.'),
      rt.quote(
        '“Courts like this one usually leave governments a lot of room. Here the judges listed exactly what went wrong, from copy-and-paste detention orders to the lack of access to a lawyer in the first 48 hours. That makes the ruling much harder to ignore,” she said.',
      ),
      rt.p(
        'The judgment also examined the charge of organising mass unrest. The court found that prosecutors had not shown that any of the 37 students personally used or encouraged violence, and warned that vague charges could have a “chilling effect” on anyone else who wished to protest.',
      ),
      rt.p(
        'It is not the first time the court has criticised a member state over its treatment of protesters, but observers say it is the first case in which almost all of the applicants were students. Several other governments in the region have introduced similar charges in recent years, and lawyers there say they will cite the Kestria judgment in their own cases.',
      ),
      rt.p('According to the judgment, Kestria must now:'),
      rt.ul(
        'release every applicant still in pre-trial detention within 30 days;',
        'pay each of the 37 students the equivalent of 12,000 euros in compensation;',
        'review its law on “organising mass unrest” within twelve months;',
        'report to the court’s monitoring committee on its progress within six months.',
      ),
      rt.h2('What happens next?'),
      rt.p(
        'The government has three months to ask the court’s Grand Chamber to reconsider the case. If it does not, the ruling becomes final and a committee of ministers from the member states will monitor whether Kestria carries it out.',
      ),
      rt.p(
        'Two opposition parties in Kestria’s parliament have called on the government to accept the ruling without delay. The governing coalition has not commented publicly, but one of its senior members told local radio that the cabinet would discuss the judgment next week.',
      ),
      rt.p(
        'Families of the detained students gathered outside the court building as the verdict was read. One mother, who asked not to be named because her son is still awaiting trial, said she had cried when she heard it. “For nine months we were told our children were criminals. Today a court said they were students who wanted to be heard,” she said.',
      ),
      rt.p(
        'Students still at university in Orvane say the case has changed the way they organise. Tomas, a 19-year-old engineering student who took part in the April sit-ins but was not arrested, said far fewer people now dared to join demonstrations. He asked that his surname not be published.',
      ),
      rt.quote(
        '“People are scared. Everyone knows someone who went to prison for holding a sign. Maybe this ruling will change that, but only if the government actually listens,” he said.',
      ),
      rt.p(
        'The tuition law itself remains in force. Fees at public universities rose by ',
        rt.strong('40 per cent'),
        ' in September, and the next increase is due this autumn. Student unions say they will challenge the law in Kestria’s constitutional court later this year.',
      ),
      rt.p(
        'The full judgment has been published in English and Kestrian on ',
        rt.link('the court’s website', 'https://example.org/regional-court/kestria-student-detention-judgment'),
        '. Whatever the government decides, Ms Varga said, the students would not stop speaking up. “They tried to teach a whole generation to stay quiet,” she said. “It has not worked.”',
      ),
    ),
  },

  // -- Climate, by Tavita Leaupepe (then a contributor). --
  {
    slug: 'mapping-a-shrinking-shoreline-samoan-students-turn-data-into-evidence',
    status: 'published',
    title: 'Mapping a shrinking shoreline: Samoan students turn data into evidence',
    dek: 'Secondary school students on Upolu have spent a year measuring how fast their coastline is retreating. Their findings are now on the desk of local planners.',
    bylinePhrase: 'reports on a student project measuring coastal erosion on Upolu',
    section: 'climate',
    tags: ['Oceans', 'Education', 'Youth Voice'],
    authors: ['tavita-leaupepe'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2023-10-20T08:00:00.000Z',
    hero: {
      alt: 'Illustration of a curved sandy shoreline with a row of wooden posts and a measuring tape running towards turquoise waves',
      caption: 'Measuring posts on a beach on the south coast of Upolu, Samoa, illustrated, October 2023',
      creditCreator: 'Losana Vaifale',
      creditSource: 'The Harbinger',
      hue: 178,
    },
    body: rt.doc(
      rt.p(
        'Once a month for a whole year, 24 students from a secondary school on the south coast of Upolu walked the same 800-metre stretch of beach carrying a measuring tape, a phone and a waterproof notebook. At each of 16 wooden posts they recorded the distance to the line of seaweed and shells left by the last high tide.',
      ),
      rt.p(
        'The results, presented to the district council this month, are stark. Over twelve months the high-tide line moved inland by an average of 1.4 metres, and by almost three metres near the mouth of a small river where families used to dry their fishing nets.',
      ),
      rt.h2('Science on a school budget'),
      rt.p(
        'The project cost less than 300 tālā, most of it spent on timber for the posts. Geography teacher Sina Aumua said she had wanted her students to see that climate science is not only something that happens in laboratories far away.',
      ),
      rt.quote(
        '“They used to hear numbers about sea-level rise on the news and switch off. Now the numbers are theirs. They know which post their grandmother’s house is behind,” Ms Aumua said.',
      ),
      rt.p(
        'Losa, 15, who measured the posts closest to the river, said the hardest part was keeping going through the wet season. “Some months it was raining so hard we couldn’t read the tape. But if you miss a month, the data has a hole in it, so we went anyway,” she said.',
      ),
      rt.h2('From notebook to planning office'),
      rt.p(
        'Peniamina Soli, a planning officer for the district, said the council would use the students’ measurements in a review of where new homes and water tanks can safely be built. He said official surveys of the coast happen only every few years, so monthly data was “genuinely useful, not just a nice school project”.',
      ),
      rt.p(
        'The students also recorded interviews with older residents about how the beach has changed in their lifetimes. Several described a sandy football pitch that has now disappeared entirely. The class says these memories are ',
        rt.em('evidence too'),
        ', even if they cannot be plotted on a graph.',
      ),
      rt.p(
        'The school has published its method and a blank recording sheet on ',
        rt.link('a shared project page', 'https://example.org/shoreline-watch'),
        ' so that other schools in the Pacific can copy it. Two schools on Savai’i have already asked for help setting up their own posts before the next cyclone season.',
      ),
    ),
  },

  // -- Co-authored: Amara Nwosu turns 16 on the day of publication. --
  {
    slug: 'phones-in-lockers-what-happened-when-two-schools-went-screen-free',
    status: 'published',
    title: 'Phones in lockers: what happened when two schools went screen-free',
    dek: 'One school in Lagos and one in Hamburg banned phones for the whole school day last autumn. Students, teachers and parents told us whether it worked.',
    bylinePhrase: 'report on two schools, two continents and one phone ban',
    section: 'society',
    tags: ['Education', 'Technology', 'Youth Voice'],
    authors: ['amara-nwosu', 'yuki-hartmann'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2024-03-15T10:00:00.000Z',
    hero: {
      alt: 'Illustration of a wall of numbered school lockers, one open, with a smartphone glowing inside',
      caption: 'School lockers holding pupils’ phones, illustrated for a report from Lagos and Hamburg, March 2024',
      creditCreator: 'Tomás Ferrante',
      creditSource: 'Paperkite Illustration',
      hue: 48,
    },
    body: rt.doc(
      rt.p(
        'At a quarter to eight every morning, pupils at a secondary school in Lagos drop their phones into numbered cloth pouches that hang by the staffroom door. Almost 5,000 kilometres away, at a school in Hamburg, students lock theirs in metal lockers before the first bell. Both schools introduced full-day phone bans in September.',
      ),
      rt.h2('The case for the ban'),
      rt.p(
        'Folake Adeyemi, the head teacher of the Lagos school, said she decided on the ban after a term in which staff dealt with more cases of online bullying than ever before. “Children were arriving at lessons already upset by something that happened in a group chat at break,” she said. “We could not teach through that.”',
      ),
      rt.p(
        'In Hamburg the decision was taken by the school conference, where teachers, parents and student representatives each have a vote. Matthias Brandt, who teaches maths and physics, said the change was obvious within weeks.',
      ),
      rt.quote(
        '“Break times got louder. People play table tennis again, they argue about football, they actually talk. I did not expect to miss the silence, and I don’t,” Mr Brandt said.',
      ),
      rt.h2('What students think'),
      rt.p(
        'We asked 140 students at the two schools to fill in a short anonymous questionnaire. It is not a scientific survey, but the answers were surprisingly similar on both continents:',
      ),
      rt.ul(
        '58 per cent said they concentrated better in lessons since the ban;',
        '71 per cent said they missed being able to message their families during the day;',
        'only 12 per cent wanted the ban scrapped completely;',
        'almost half wanted phones allowed at lunchtime.',
      ),
      rt.p(
        'Chidera, 15, from the Lagos school, said she had been sceptical at first. “I thought I would feel lost without it. Now I read during break and I have finished three novels this term,” she said.',
      ),
      rt.p(
        'Jannik, 16, in Hamburg, was less convinced. “We are told phones are dangerous, but nobody teaches us how to use them well. In two years we will have them all day with no rules at all,” he said.',
      ),
      rt.p(
        'Some parents in Lagos worried about safety on long journeys across the city. The school now lets pupils collect their phones ten minutes before the final bell, and the office line is available for emergencies.',
      ),
      rt.p(
        'Researchers say the evidence on bans is mixed. Dr Helena Marsh, an education researcher who studies young people’s digital habits, said a ban can improve focus in the classroom but ',
        rt.strong('does not by itself change what happens at home'),
        '. “The schools that see the biggest benefit are the ones that also talk to students about why,” she said.',
      ),
    ),
  },

  // -- International affairs, pop-up newsroom. --
  {
    slug: 'half-the-world-votes-what-a-record-election-year-means-for-first-time-voters',
    status: 'published',
    title: 'Half the world votes: what a record election year means for first-time voters',
    dek: 'Dozens of countries are holding national elections in 2024. For millions of young people, it will be the first time they cast a ballot.',
    bylinePhrase: 'reports on a record year of elections and the young people voting for the first time',
    section: 'international-affairs',
    newsroom: 'election-year-2024',
    tags: ['Elections', 'Youth Voice'],
    authors: ['farah-haddad'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2024-04-19T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a globe made of overlapping ballot papers, with small hands dropping votes into it',
      caption: 'Ballots around the globe, illustrated for the Election Year 2024 newsroom, April 2024',
      creditCreator: 'Wen Liao',
      creditSource: 'The Harbinger',
      hue: 222,
    },
    body: rt.doc(
      rt.p(
        'This year, more people are eligible to vote in national elections than in any year before, as countries on every continent hold parliamentary or presidential polls within a few months of each other. Among those voters are tens of millions of young people who have just reached voting age.',
      ),
      rt.p(
        'For the ',
        rt.em('Election Year 2024'),
        ' newsroom, we spoke to first-time voters in six countries about what they expect, what they fear and whether they plan to turn up at all.',
      ),
      rt.h2('The turnout gap'),
      rt.p(
        'In most democracies, young people vote less often than their parents and grandparents. Analysts at the Youth Ballot Project, a non-partisan research group, estimate that turnout among 18 to 24-year-olds is on average about 15 percentage points lower than among voters over 50.',
      ),
      rt.quote(
        '“The first election matters enormously. People who vote the first time they are able to are far more likely to keep voting for the rest of their lives,” said Daniela Rocha, the project’s research director.',
      ),
      rt.p(
        'Nour, 18, in Amman, said she intends to vote but finds it hard to get clear information about candidates. “Everything I see is on social media, and half of it is clearly fake. I want to know what they will actually do about jobs,” she said.',
      ),
      rt.p(
        'In the Philippines, 19-year-old Paolo said his family had always voted together and he was looking forward to joining them. “It is like a family outing. My grandmother makes food and we all go to the school hall,” he said.',
      ),
      rt.h2('Beyond the ballot box'),
      rt.p(
        'Not everyone we spoke to is convinced that voting is enough. Several described volunteering, protesting or writing to representatives as just as important. The Youth Ballot Project publishes ',
        rt.link('a country-by-country election calendar', 'https://example.org/youth-ballot/calendar-2024'),
        ' for anyone who wants to follow the year’s polls.',
      ),
      rt.p(
        'Over the coming months the newsroom will follow first-time voters through their campaigns, their polling days and the results. If you are voting for the first time this year, we would like to hear from you.',
      ),
    ),
  },

  // -- Human rights, Women's Rights Newsroom. --
  {
    slug: 'free-pads-at-school-inside-a-student-campaign-against-period-poverty',
    status: 'published',
    title: 'Free pads at school: inside a student campaign against period poverty',
    dek: 'Secondary school students in Buenos Aires persuaded their school district to stock free menstrual products in every bathroom. Now they want the policy to go national.',
    bylinePhrase: 'reports on how a student campaign put free menstrual products in school bathrooms',
    section: 'human-rights',
    newsroom: 'womens-rights-newsroom',
    tags: ['Gender Equality', 'Education'],
    authors: ['marta-quiroga'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2024-05-24T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a school bathroom wall with a small open cabinet stocked with colourful packets',
      caption: 'A free-product cabinet in a school bathroom, illustrated, Buenos Aires, May 2024',
      creditCreator: 'Odile Marchetti',
      creditSource: 'Paperkite Illustration',
      hue: 340,
    },
    body: rt.doc(
      rt.p(
        'It began with a shoebox. Two years ago, a group of students at a public secondary school in Buenos Aires started leaving pads and tampons in a box in the girls’ bathroom, bought with money from bake sales. Within a week, the box was empty.',
      ),
      rt.p(
        'This month, their school district agreed to provide free menstrual products in every secondary school bathroom it runs, from the start of the next term. The campaign’s organisers, most of them 16 and 17, say it is only a first step.',
      ),
      rt.h2('“Nobody wanted to talk about it”'),
      rt.p(
        'Lucía, 17, one of the founders of the campaign, said the hardest part was not the money but the embarrassment. “Teachers were supportive, but nobody wanted to say the word ‘period’ in a meeting. We had to make it normal first,” she said.',
      ),
      rt.p(
        'The group surveyed more than 600 students across eight schools. One in four said they had missed at least one day of school because they could not afford or could not find menstrual products. Many said they had used toilet paper or old cloth instead.',
      ),
      rt.quote(
        '“When we showed the numbers to the district, the conversation changed. It stopped being a favour and became a question of whether girls can go to school,” said Valentina, 16.',
      ),
      rt.h2('Counting the cost'),
      rt.p(
        'A spokesperson for the school district said the programme would cost “less than the district spends on printer paper” and would be reviewed after a year. Teachers’ unions have backed the plan but warned that it must not be paid for by cutting other student support.',
      ),
      rt.p(
        'The students are now writing to national lawmakers to ask for a law that would cover every public school in the country. They have also published a ',
        rt.strong('step-by-step guide'),
        ' for students in other cities who want to start a similar campaign. “We started with a shoebox,” Lucía said. “Anyone can do that.”',
      ),
    ),
  },

  // -- Society, pop-up newsroom, by the Editor-in-chief. --
  {
    slug: 'what-would-get-you-to-vote-first-time-voters-answer',
    status: 'published',
    title: 'What would get you to vote? First-time voters answer',
    dek: 'We asked 30 first-time voters in five countries what would make them more likely to vote. Their answers were more practical than you might think.',
    bylinePhrase: 'reports on what young people say would make them vote',
    section: 'society',
    newsroom: 'election-year-2024',
    tags: ['Elections', 'Youth Voice', 'Education'],
    authors: ['aarav-kulkarni'],
    editors: ['ruth-abernethy'],
    access: 'free',
    publishedAt: '2024-06-14T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a queue of young people of different heights waiting outside a polling station door',
      caption: 'A queue outside a polling station, illustrated for the Election Year 2024 newsroom, June 2024',
      creditCreator: 'Kofi Mensah-Larbi',
      creditSource: 'The Harbinger',
      hue: 122,
    },
    body: rt.doc(
      rt.p(
        'Politicians love to complain that young people do not vote. Fewer of them ask why. For the Election Year 2024 newsroom, we put the question directly to 30 first-time voters in India, Germany, Jordan, Mexico and South Africa.',
      ),
      rt.p('We expected answers about grand ideals. Instead, most people talked about timetables, paperwork and bus fares.'),
      rt.h2('The five most common answers'),
      rt.ul(
        'Being able to register to vote at school, without a separate trip to a government office.',
        'Polling stations close to where students actually live, including at universities.',
        'Plain-language information about what each party would do on jobs and housing.',
        'Candidates who visit schools and colleges rather than only sending adverts.',
        'Being allowed to vote somewhere other than the town where they are registered.',
      ),
      rt.p(
        'Ishaan, 18, who studies in Bengaluru but is registered in his home town 400 kilometres away, said the trip would cost him two days and a week’s pocket money. “I want to vote. I just cannot afford to go home for it in the middle of exams,” he said.',
      ),
      rt.p(
        'In Germany, Lena, 18, said registration was automatic but the information was not. “I got my polling card in the post, which was easy. But when I tried to compare the parties, every website told me something different,” she said.',
      ),
      rt.h2('Small changes, big difference'),
      rt.p(
        'Electoral officials we contacted said several of these changes were already being tested. A spokesperson for one national election commission said pilot schemes for registering at school had increased first-time registration “noticeably” in the districts where they ran, but declined to give figures before a full evaluation.',
      ),
      rt.quote(
        '“Young people are not apathetic. They are busy, mobile and often badly served by systems designed decades ago. Fix the systems and turnout follows,” said Dr Samuel Okafor, a political scientist who studies youth participation.',
      ),
    ),
  },

  // -- International affairs, pop-up newsroom, by the leap-day contributor. --
  {
    slug: 'young-candidates-old-parliaments-why-so-few-under-30s-win-seats',
    status: 'published',
    title: 'Young candidates, old parliaments: why so few under-30s win seats',
    dek: 'Only a tiny share of the world’s members of parliament are under 30. Young candidates say money, age limits and party lists stand in their way.',
    bylinePhrase: 'reports on the barriers young candidates face at the ballot box',
    section: 'international-affairs',
    newsroom: 'election-year-2024',
    tags: ['Elections', 'Youth Voice'],
    authors: ['yuki-hartmann'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2024-09-27T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a parliament chamber with rows of grey seats and a single bright yellow chair in the front row',
      caption: 'A young face in an ageing parliament, illustrated for the Election Year 2024 newsroom, September 2024',
      creditCreator: 'Jasper Kuiper',
      creditSource: 'Northlight Studio',
      hue: 52,
    },
    body: rt.doc(
      rt.p(
        'Mira Selçuk was 24 when she stood for election to her district assembly in Hamburg this spring. She knocked on more than 2,000 doors, printed leaflets at her own expense and finished fourth on her party’s list. Three places were enough to win a seat.',
      ),
      rt.p(
        '“Everyone told me it was great that young people were getting involved. Then they put me where I could not possibly win,” she said.',
      ),
      rt.h2('A question of numbers'),
      rt.p(
        'Around the world, people under 30 make up roughly half of the adult population but only a very small share of national parliaments, according to figures collected by international parliamentary organisations. In many countries the average age of a member of parliament is over 50.',
      ),
      rt.p('Researchers point to three main barriers:'),
      rt.ul(
        'Minimum ages for candidates, which in some countries are 25 or even higher for national office.',
        'The cost of campaigning, from deposits to travel, which falls hardest on students and young workers.',
        'Party lists, where young candidates are often placed too low to be elected.',
      ),
      rt.quote(
        '“Parties like to show young faces on posters. They are much less keen to give them safe seats,” said Dr Ingrid Solberg, a political scientist who studies candidate selection.',
      ),
      rt.h2('What could change'),
      rt.p(
        'Some countries have lowered the age at which people can stand for election, and several parties have introduced youth quotas for their lists. Campaigners say these measures work best together: a lower age limit means little if nobody young is placed high enough to win.',
      ),
      rt.p(
        'Ms Selçuk says she will stand again. “Next time I will ask for a better place on the list before I start knocking on doors,” she said. “I have learned that much.”',
      ),
    ),
  },

  // -- Culture, by the leap-day contributor: 16, not 17, on 28 February 2025. --
  {
    slug: 'staples-scissors-and-something-to-say-why-teenagers-are-making-zines-again',
    status: 'published',
    title: 'Staples, scissors and something to say: why teenagers are making zines again',
    dek: 'In a Hamburg library basement, a monthly zine workshop now has a waiting list. Its young makers say paper gives them something the internet does not.',
    bylinePhrase: 'reports on the return of the photocopied zine',
    section: 'culture',
    tags: ['Arts', 'Youth Voice'],
    authors: ['yuki-hartmann'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2025-02-28T12:00:00.000Z',
    hero: {
      alt: 'Illustration of a table covered in cut-out paper shapes, scissors, a long stapler and hand-lettered booklets',
      caption: 'A zine-making table in a library workshop, illustrated, Hamburg, February 2025',
      creditCreator: 'Odile Marchetti',
      creditSource: 'Paperkite Illustration',
      hue: 300,
    },
    body: rt.doc(
      rt.p(
        'On the last Saturday of every month, the basement of a public library in Hamburg fills with the clunk of a heavy-duty stapler. About 30 teenagers sit around trestle tables cutting up magazines, writing headlines by hand and queuing for the photocopier.',
      ),
      rt.p(
        'They are making zines: small, self-published booklets, usually folded from a few sheets of paper, about anything their makers care about. The workshop started two years ago with six people. There is now a waiting list.',
      ),
      rt.h2('Why paper?'),
      rt.p(
        'Hannah, 17, makes a zine about the birds she sees on her way to school. “Online, everything I post is measured. How many likes, how many views. A zine goes from my hands to someone else’s hands, and that is the whole point,” she said.',
      ),
      rt.p(
        'Others use zines for subjects they would not post online at all. One 15-year-old, who asked not to be named, makes a zine about living with anxiety and leaves copies in the library’s reading room. “I would never put this on social media. On paper, it feels safer,” they said.',
      ),
      rt.quote(
        '“Every generation rediscovers that you do not need anyone’s permission to publish. The tools just change. Right now the rebellious tool happens to be a photocopier,” said Petra Lindqvist, the librarian who runs the workshop.',
      ),
      rt.h2('A small economy'),
      rt.p(
        'Most zines are given away or swapped. Some sell for a euro or two at the city’s twice-yearly zine fair, which last autumn had more teenage stallholders than adults for the first time, according to its organisers.',
      ),
      rt.p(
        'For the makers, the money is not the point. “When someone I have never met picks up my zine and reads it on the bus,” Hannah said, “that is ',
        rt.em('better'),
        ' than a thousand likes.”',
      ),
    ),
  },

  // -- Human rights, Women's Rights Newsroom. --
  {
    slug: 'pitch-time-the-girls-football-league-fighting-for-equal-access-in-lagos',
    status: 'published',
    title: 'Pitch time: the girls’ football league fighting for equal access in Lagos',
    dek: 'A girls’ league with more than 200 players still trains on whatever pitch is left over. Its organisers want the city to change how it shares public sports grounds.',
    bylinePhrase: 'reports on a girls’ football league and its fight for a fair share of public pitches',
    section: 'human-rights',
    newsroom: 'womens-rights-newsroom',
    tags: ['Gender Equality', 'Sport'],
    authors: ['amara-nwosu'],
    editors: ['marta-quiroga'],
    access: 'free',
    publishedAt: '2025-04-11T09:00:00.000Z',
    hero: {
      alt: 'Illustration of girls in orange football kits running across a dusty pitch at sunset, goalposts in the distance',
      caption: 'A girls’ league training session on a public pitch, illustrated, Lagos, April 2025',
      creditCreator: 'Kofi Mensah-Larbi',
      creditSource: 'The Harbinger',
      hue: 24,
    },
    body: rt.doc(
      rt.p(
        'The training session is supposed to start at four. By half past, the 14 girls in orange shirts are still standing at the edge of the pitch, waiting for a boys’ match that overran to finish. When they finally get onto the grass, there is less than an hour of daylight left.',
      ),
      rt.p(
        'This is normal, says Grace Obi, 27, who founded the league five years ago. It now has 11 teams and more than 200 players between the ages of 12 and 18, but not a single regular booking on a public pitch.',
      ),
      rt.h2('Who gets the grass?'),
      rt.p(
        'Public pitches in the area are booked through local sports committees, and most slots go to clubs that have held them for years, according to the league. Almost all of those clubs are for boys and men.',
      ),
      rt.quote(
        '“Nobody has ever said girls cannot play here. They just say the timetable is full. It has been full for twenty years,” Ms Obi said.',
      ),
      rt.p(
        'Blessing, 16, a midfielder, said the league had changed her life. “Before, I only played in the street with my brothers. Now I have a team, a coach and a position. I want to play for Nigeria one day,” she said.',
      ),
      rt.h2('A fairer timetable'),
      rt.p(
        'The league has asked the local government to set aside a share of all public pitch bookings for girls’ and women’s teams, and to publish the booking timetable online. A spokesperson for the local sports council said it was “reviewing the allocation system” and hoped to report by the end of the year.',
      ),
      rt.p(
        'Until then, the girls will keep waiting at the edge of the pitch. “We are patient,” Blessing said, “but we are ',
        rt.strong('not going anywhere'),
        '.”',
      ),
    ),
  },

  // -- Culture, second piece by the leap-day contributor, after 1 March 2025. --
  {
    slug: 'saving-the-picture-house-the-teenagers-keeping-a-neighbourhood-cinema-alive',
    status: 'published',
    title: 'Saving the picture house: the teenagers keeping a neighbourhood cinema alive',
    dek: 'When a 70-year-old cinema in Hamburg said it would close, a group of school students offered to run its Sunday matinees. A year later, the screen is still lit.',
    bylinePhrase: 'reports on a youth-run rescue of a small neighbourhood cinema',
    section: 'culture',
    tags: ['Arts', 'Youth Voice'],
    authors: ['yuki-hartmann'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2025-06-20T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a small cinema façade at dusk with a glowing marquee and a queue of teenagers outside',
      caption: 'A neighbourhood cinema on a Sunday afternoon, illustrated, Hamburg, June 2025',
      creditCreator: 'Jasper Kuiper',
      creditSource: 'Northlight Studio',
      hue: 12,
    },
    body: rt.doc(
      rt.p(
        'The single screen of the cinema has shown films since the 1950s. Last spring its owner, who is 78, announced that falling audiences and rising energy bills meant the doors would close for good at the end of the summer.',
      ),
      rt.p(
        'Then a letter arrived, signed by 41 students from three nearby schools. They offered to programme, staff and promote a Sunday matinee every week, for free, if the owner would keep the projector running.',
      ),
      rt.h2('Teenagers in the projection box'),
      rt.p(
        'A year later, the Sunday screenings sell out most weeks. The students choose the films by vote, design the posters and run the ticket desk. Two of them have learned to operate the projector under the owner’s supervision.',
      ),
      rt.quote(
        '“I thought they would get bored after a month. Instead they have brought in people who had never set foot in here, and some of them now come on weekdays too,” the owner said.',
      ),
      rt.p(
        'Selin, 17, who chairs the student programming group, said the cinema offered something streaming could not. “At home you pause, you check your phone, you give up halfway. Here you sit in the dark with strangers and you all gasp at the same moment,” she said.',
      ),
      rt.h2('Not a fairy tale yet'),
      rt.p(
        'The cinema is not safe. Weekday audiences are still small, and the building needs a new heating system. The students have launched ',
        rt.link('a crowdfunding campaign', 'https://example.org/picture-house-sundays'),
        ' and have applied to the city for a culture grant.',
      ),
      rt.p(
        'Whatever happens, Selin said, the project has already taught them something. “We used to think culture was something other people made for us. It turns out you can just turn up and do it.”',
      ),
    ),
  },

  // -- Registered-only article: every paragraph distinct, at least two sentences. --
  {
    slug: 'points-of-order-inside-a-model-un-run-by-refugee-teenagers',
    status: 'published',
    title: 'Points of order: inside a model UN run by refugee teenagers',
    dek: 'On the edge of Amman, young refugees meet every week to debate like diplomats. Some of them hope it is practice for the real thing.',
    bylinePhrase: 'reports on a model United Nations club run by and for young refugees',
    section: 'international-affairs',
    tags: ['Refugees', 'Education', 'Youth Voice'],
    authors: ['farah-haddad'],
    editors: ['aarav-kulkarni', 'marta-quiroga'],
    access: 'registered',
    publishedAt: '2025-09-12T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a circle of folding chairs with small paper country flags on a table, seen from above',
      caption: 'A model United Nations session in a community centre, illustrated, Amman, September 2025',
      creditCreator: 'Wen Liao',
      creditSource: 'The Harbinger',
      hue: 88,
    },
    body: rt.doc(
      rt.p(
        'The delegate for Norway raises a laminated card and asks for a point of order. She is 15, she has never been to Norway, and she wants the chair to know that the delegate for Brazil has exceeded his speaking time by eleven seconds.',
      ),
      rt.p(
        'Every Thursday afternoon, about 40 teenagers gather in a community centre on the outskirts of Amman to run their own model United Nations. Most of them arrived in Jordan as refugees, some as small children and some only a few years ago.',
      ),
      rt.h2('Rules of procedure'),
      rt.p(
        'The club was started three years ago by Rami, now 19, who had taken part in a model UN at a private school on a scholarship. He came home convinced that his friends could do it just as well, and he typed out the rules of procedure from memory that same night.',
      ),
      rt.p(
        'Sessions follow the real thing closely, from opening speeches to draft resolutions and amendments. Delegates must represent the country they are assigned, even when its government’s position is one they personally dislike.',
      ),
      rt.quote(
        '“The hardest thing is arguing for something you do not believe. But it teaches you to listen before you answer, which is the point,” said Huda, 16, who chairs the club’s security council.',
      ),
      rt.p(
        'This term the topics have included water sharing between neighbouring countries, access to secondary education for displaced children and the regulation of artificial intelligence. The members vote on every topic at the start of each term, and debates about the agenda can last longer than the debates themselves.',
      ),
      rt.h2('More than a game'),
      rt.p(
        'For some members, the debates touch their own lives closely. A session on school enrolment for refugees last spring ended with several delegates sharing their own experiences of waiting years for the right documents, and the resolution they passed was later sent to a local education office.',
      ),
      rt.p(
        'Youth workers at the centre say the club has become one of its most popular activities. Its coordinator, Salma Darwish, said attendance had doubled in a year and that several members had since won places on leadership programmes run by aid organisations.',
      ),
      rt.quote(
        '“People talk about refugees all the time, in meetings they are never invited to. Here they learn the language of those meetings, so that one day they can be in the room,” Ms Darwish said.',
      ),
      rt.p(
        'Money remains a problem, since the club relies on donated paper, borrowed chairs and a projector that works only when it feels like it. Rami hopes to raise enough to take a delegation to an international conference next year, something none of the current members have ever done.',
      ),
      rt.p(
        'Back in the session, the delegate for Norway wins her point of order and the chair calls for a vote. Hands go up around the circle, the resolution passes by two votes, and the room applauds as loudly as any general assembly.',
      ),
    ),
  },

  // -- Climate, by the Climate Section Editor. --
  {
    slug: 'ocean-plastic-pact-talks-end-without-a-deal',
    status: 'published',
    title: 'Ocean plastic pact talks end without a deal, but Pacific youth delegates refuse to give up',
    dek: 'Ministers from across the Pacific left a week of negotiations in Suva without agreeing limits on single-use plastic. Young delegates say the fight is far from over.',
    bylinePhrase: 'reports on stalled talks over a regional pact to cut ocean plastic',
    section: 'climate',
    tags: ['Oceans', 'Youth Voice'],
    authors: ['tavita-leaupepe'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: '2026-03-20T09:00:00.000Z',
    hero: {
      alt: 'Illustration of a turtle swimming through blue water past floating plastic bottles and bags',
      caption: 'Plastic waste in Pacific waters, illustrated for a report on regional talks in Suva, March 2026',
      creditCreator: 'Losana Vaifale',
      creditSource: 'The Harbinger',
      hue: 196,
    },
    body: rt.doc(
      rt.p(
        'A week of talks on a regional pact to reduce plastic pollution in the Pacific Ocean ended in Suva on Friday without agreement. Negotiators disagreed over whether limits on single-use plastic should be binding or voluntary, and over who should pay to clean up waste that washes ashore from elsewhere.',
      ),
      rt.p(
        'The meeting was the third round of negotiations. Officials said a fourth round would take place later this year, but no date or venue has been set.',
      ),
      rt.h2('Small islands, large shorelines'),
      rt.p(
        'Small island states argue they suffer most from plastic they did not produce. Beach clean-ups on some islands collect bottles and fishing gear from dozens of countries, according to volunteer groups that record the labels.',
      ),
      rt.quote(
        '“We are being asked to clean up the world’s rubbish with a village budget. A voluntary pact will change nothing,” said Ana Tuivaga, 19, one of twelve youth delegates accredited to the talks.',
      ),
      rt.p(
        'Some larger economies in the negotiations said binding limits would hurt businesses that are still recovering from high fuel costs, and called for more time to develop alternatives. One delegate, speaking on condition of anonymity, said a weak deal signed soon was better than a strong one signed never.',
      ),
      rt.h2('What the youth delegates want'),
      rt.p('The youth delegation published a short list of demands on the last day of the talks:'),
      rt.ul(
        'binding limits on single-use plastic bags, cups and cutlery by 2030;',
        'a regional fund, paid into by producers, to pay for beach and reef clean-ups;',
        'labelling rules so that waste can be traced back to where it was made;',
        'a permanent seat for young people at future negotiating rounds.',
      ),
      rt.p(
        'Ms Tuivaga said the group would spend the months before the next round meeting ministers at home. “They will see us again,” she said. “And ',
        rt.em('every time'),
        ' they do, we will bring a bag of what we picked up on the beach that morning.”',
      ),
    ),
  },

  // -- Human rights follow-up to the anatomy article. --
  {
    slug: 'free-but-not-cleared-what-became-of-kestrias-detained-students',
    status: 'published',
    title: 'Free but not cleared: what became of Kestria’s detained students',
    dek: 'Every student a regional court ordered released in 2024 is now out of detention. Yet most still face charges, and the tuition law they protested against remains in force.',
    bylinePhrase: 'reports on what has happened since a landmark ruling on student detentions',
    section: 'human-rights',
    tags: ['Courts', 'Protest', 'Education'],
    authors: ['marta-quiroga'],
    editors: ['ruth-abernethy'],
    access: 'free',
    publishedAt: '2026-10-09T09:00:00.000Z',
    hero: {
      alt: 'Illustration of an open cell door leading onto a university courtyard filled with autumn leaves',
      caption: 'From detention back to campus, illustrated for a follow-up on Kestria’s student protesters, October 2026',
      creditCreator: 'Ilka Brandvold',
      creditSource: 'Northlight Studio',
      hue: 30,
    },
    body: rt.doc(
      rt.p(
        'When the Regional Court of Human Rights ordered Kestria to release 22 detained students in early 2024, their families hoped the story was over. More than two years later, all of them are free, but only five have been cleared.',
      ),
      rt.p(
        'The government did not appeal the ruling and released the last of the students within the 30-day deadline. It also paid the compensation the court ordered, according to Open Campus Alliance, the legal charity that brought the case.',
      ),
      rt.h2('Trials that never end'),
      rt.p(
        'The criminal cases, however, continue. Of the 37 students named in the judgment, 29 are still waiting for their trials to finish, and three have been given suspended sentences. Their lawyer, Miriam Oduya, said hearings were regularly postponed at the last minute.',
      ),
      rt.quote(
        '“They are no longer in prison, but they cannot travel, cannot plan and cannot fully move on. A trial that never ends is its own kind of punishment,” Ms Oduya said.',
      ),
      rt.p(
        'The Ministry of Justice said the courts were independent and that it could not comment on individual cases. Parliament has amended the law on organising mass unrest, as the court required, but campaigners say the changes are cosmetic.',
      ),
      rt.h2('Back to class'),
      rt.p(
        'Tomas, who spoke to The Harbinger in 2024, has since graduated. He said protests on campus had slowly returned, though they were smaller and more cautious than before. “People still come. They just bring a lawyer’s phone number written on their arm,” he said.',
      ),
      rt.p(
        'The tuition law remains in force, and a challenge in Kestria’s constitutional court is expected to be decided next year. For the students who spent months in detention, the verdict that mattered most has already come. The one they are still waiting for is their own.',
      ),
    ),
  },

  // -- Draft, not published. --
  {
    slug: 'the-hidden-price-of-the-school-uniform',
    status: 'draft',
    title: 'The hidden price of the school uniform',
    dek: 'Uniforms are meant to make every pupil equal. For many families, the cost of blazers, badges and branded socks does the opposite.',
    bylinePhrase: 'reports on what school uniforms really cost families',
    section: 'society',
    tags: ['Education'],
    authors: ['amara-nwosu'],
    editors: ['aarav-kulkarni'],
    access: 'free',
    publishedAt: null,
    hero: {
      alt: 'Illustration of a school blazer on a hanger with a long price tag trailing to the floor',
      caption: 'A school blazer and its price tag, illustrated for a report on uniform costs',
      creditCreator: 'Tomás Ferrante',
      creditSource: 'Paperkite Illustration',
      hue: 260,
    },
    body: rt.doc(
      rt.p(
        'Every September, parents at schools across Lagos queue at the one shop licensed to sell their children’s uniforms. A full set, from the embroidered blazer to the regulation sandals, can cost more than a month’s rent in some neighbourhoods.',
      ),
      rt.p(
        'Schools say uniforms reduce competition over clothes and help pupils feel they belong. Some parents we spoke to agreed, but almost all of them asked why the badge could not simply be sewn onto a cheaper shirt from the market.',
      ),
      rt.p(
        'In the coming weeks we will compare uniform rules at a dozen schools and ask head teachers who decides where families must shop, and why.',
      ),
    ),
  },
];

export const editorsPick = 'phones-in-lockers-what-happened-when-two-schools-went-screen-free';
export const featuredPerson = 'marta-quiroga';
