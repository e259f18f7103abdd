// A long page for scroll-depth tracking: ten tall chapters.
const story = document.getElementById('story');
const heading = document.createElement('h1');
heading.textContent = 'Our story';
story.append(heading);
for (let chapter = 1; chapter <= 10; chapter++) {
  const section = document.createElement('section');
  section.id = `chapter-${chapter}`;
  const title = document.createElement('h2');
  title.textContent = `Chapter ${chapter}`;
  section.append(title);
  for (let p = 0; p < 3; p++) {
    const para = document.createElement('p');
    para.textContent =
      'We started with one mug and a question: which of our pages do people actually read? ' +
      'The answer needed numbers we could trust, stored on machines we own.';
    section.append(para);
  }
  story.append(section);
}
